package api

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/gorilla/websocket"
	"net/http/httptest"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// benchPoints is one batch of real trajectory points (Adam on Himmelblau),
// whose coordinates have the full 17 significant digits a run produces.
func benchPoints(b *testing.B) []optim.Point {
	p, _ := landscape.Lookup("himmelblau")
	opt, _, err := optim.New("adam", optim.Values{"lr": {0.01}})
	if err != nil {
		b.Fatal(err)
	}
	pts, _, err := optim.Run(context.Background(), optim.Config{Func: p.Func, Start: landscape.Vec{X: -4, Y: 4}, Steps: pointsBatch - 1},
		opt, nil)
	if err != nil || len(pts) != pointsBatch {
		b.Fatalf("%d points, %v", len(pts), err)
	}
	return pts
}

// The encodings of one batch of pointsBatch points; b.SetBytes makes the
// MB/s comparable (bytes of points, 24 per point, for all three).
func BenchmarkEncodeBatch(b *testing.B) {
	pts := benchPoints(b)
	b.Run("binary", func(b *testing.B) {
		buf := make([]byte, 0, frameLen(8, len(pts)))
		b.SetBytes(int64(24 * len(pts)))
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = appendPointsFrame(buf[:0], "req-0001", 0, 0, pts)
		}
		b.ReportMetric(float64(len(buf)), "msgbytes")
	})
	b.Run("json-hand", func(b *testing.B) {
		buf := make([]byte, 0, 64*len(pts))
		b.SetBytes(int64(24 * len(pts)))
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = appendPointsMessage(buf[:0], "req-0001", 0, 0, pts)
		}
		b.ReportMetric(float64(len(buf)), "msgbytes")
	})
	b.Run("encoding-json", func(b *testing.B) {
		type msg struct {
			Type   string       `json:"type"`
			ID     string       `json:"id"`
			Run    int          `json:"run"`
			From   int          `json:"from"`
			Points [][3]float64 `json:"points"`
		}
		m := msg{Type: "points", ID: "req-0001", Points: make([][3]float64, len(pts))}
		for i, p := range pts {
			m.Points[i] = [3]float64{p.X, p.Y, p.Loss}
		}
		b.SetBytes(int64(24 * len(pts)))
		b.ReportAllocs()
		var n int
		for b.Loop() {
			out, _ := json.Marshal(m)
			n = len(out)
		}
		b.ReportMetric(float64(n), "msgbytes")
	})
	// What a client pays to read a JSON batch back (a binary batch it
	// views in place).
	b.Run("json-parse", func(b *testing.B) {
		msg, _ := appendPointsMessage(nil, "req-0001", 0, 0, pts)
		b.SetBytes(int64(24 * len(pts)))
		b.ReportAllocs()
		for b.Loop() {
			var m struct {
				Points [][3]float64 `json:"points"`
			}
			if err := json.Unmarshal(msg, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRoundTrip is one slider-drag request over a real websocket on
// loopback (client and server in this process): five optimizers x 1,000
// steps, from the request to done. Allocations count both sides.
func BenchmarkRoundTrip(b *testing.B) {
	h := NewHandler(Config{Logger: discard()})
	srv := httptest.NewServer(h)
	defer srv.Close()
	c, _, err := websocket.DefaultDialer.Dial(wsURL(srv), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := []byte(`{"type":"run","id":"b","spec":{"function":"himmelblau","start":[0,0],"steps":1000,"lr":0.005,"optimizers":[{"name":"sgd"},{"name":"momentum"},{"name":"rmsprop"},{"name":"adagrad"},{"name":"adam"}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
			b.Fatal(err)
		}
		for {
			kind, data, err := c.ReadMessage()
			if err != nil {
				b.Fatal(err)
			}
			if kind == websocket.TextMessage && bytes.HasPrefix(data, []byte(`{"type":"done"`)) {
				break
			}
		}
	}
}
