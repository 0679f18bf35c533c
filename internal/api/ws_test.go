package api

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gorilla/websocket"
)

// frame is one message from the server, decoded.
type frame struct {
	Type     string          `json:"type"`
	ID       string          `json:"id"`
	Run      int             `json:"run"`
	From     int             `json:"from"`
	Points   [][3]float64    `json:"points"`
	Outcomes []outcome       `json:"outcomes"`
	Error    string          `json:"error"`
	Field    string          `json:"field"`
	Raw      json.RawMessage `json:"-"`
}

// read decodes the next message; binary point frames become type "points".
func read(t *testing.T, c *websocket.Conn) frame {
	t.Helper()
	kind, data := readMessage(t, c)
	if kind == websocket.BinaryMessage {
		f, err := decodeFrame(data)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("message %s: %v", data, err)
	}
	f.Raw = data
	return f
}

// decodeFrame reads the binary layout of docs/DESIGN.md independently of
// the encoder.
func decodeFrame(b []byte) (frame, error) {
	le := binary.LittleEndian
	if len(b) < 16 || b[0] != 1 || b[1] != 0 {
		return frame{}, fmt.Errorf("bad frame header % x", b[:min(16, len(b))])
	}
	n := int(le.Uint16(b[2:]))
	head := 16 + (n+7)/8*8
	count := int(le.Uint32(b[12:]))
	if len(b) != head+24*count || head%8 != 0 {
		return frame{}, fmt.Errorf("frame of %d bytes for id length %d and %d points", len(b), n, count)
	}
	for _, pad := range b[16+n : head] {
		if pad != 0 {
			return frame{}, errors.New("non-zero id padding")
		}
	}
	f := frame{Type: "points", ID: string(b[16 : 16+n]), Run: int(le.Uint32(b[4:])), From: int(le.Uint32(b[8:]))}
	for k := 0; k < count; k++ {
		var p [3]float64
		for j := range p {
			p[j] = math.Float64frombits(le.Uint64(b[head+24*k+8*j:]))
		}
		f.Points = append(f.Points, p)
	}
	return f, nil
}

// collect reads until the run id ends (done, error or cancelled), returning
// the trajectories by optimizer index and the final message.
func collect(t *testing.T, c *websocket.Conn, id string) (map[int][][3]float64, frame) {
	t.Helper()
	pts := map[int][][3]float64{}
	for {
		f := read(t, c)
		if f.ID != id {
			t.Fatalf("message of id %q while waiting for %q: %+v", f.ID, id, f)
		}
		switch f.Type {
		case "points":
			if f.From != len(pts[f.Run]) {
				t.Fatalf("run %d batch from %d after %d points", f.Run, f.From, len(pts[f.Run]))
			}
			pts[f.Run] = append(pts[f.Run], f.Points...)
		default:
			return pts, f
		}
	}
}

// TestStreamMatchesREST checks that both encodings stream exactly the
// points and outcomes the REST API returns for the same spec.
func TestStreamMatchesREST(t *testing.T) {
	_, srv := newServer(t, Config{})
	_, body := post(t, srv.URL+"/api/v1/runs", exampleSpec)
	var want runsBody
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	c := dial(t, srv, nil)
	for _, enc := range []string{"", `,"encoding":"binary"`, `,"encoding":"json"`} {
		id := "r" + enc
		id = strings.NewReplacer(`"`, "", ",", "", ":", "").Replace(id)
		send(t, c, runMsg(id, exampleSpec, enc))
		pts, end := collect(t, c, id)
		if end.Type != "done" || len(end.Outcomes) != len(want.Runs) {
			t.Fatalf("%s: ended with %s", id, end.Raw)
		}
		for i, run := range want.Runs {
			if fmt.Sprint(pts[i]) != fmt.Sprint(run.Points) {
				t.Errorf("%s: run %d streamed %d points differing from REST's %d", id, i, len(pts[i]), len(run.Points))
			}
			if !reflect.DeepEqual(end.Outcomes[i], run.Outcome) {
				t.Errorf("%s: outcome %d %+v, REST %+v", id, i, end.Outcomes[i], run.Outcome)
			}
		}
	}
}

// TestStreamBadInput checks that mistakes get an error naming the field and
// the connection stays usable.
func TestStreamBadInput(t *testing.T) {
	_, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	cases := []struct{ msg, id, want string }{
		{`{"type":"run","id":"a","spec":{"function":"booth","steps":0,"optimizers":[{"name":"sgd"}]}}`, "a",
			`steps must be in [1, 10000], got 0`},
		{`{"type":"run","id":"b","spec":{"function":"himelblau","optimizers":[{"name":"sgd"}]}}`, "b",
			`unknown function "himelblau" (did you mean himmelblau?)`},
		{`{"type":"run","id":"c","spec":{"function":"booth","optimizers":[{"name":"sgd","lr":-0.1}]}}`, "c",
			`optimizers[0].lr must be > 0, got -0.1`},
		{`{"type":"run","id":"d","spec":{"expr":"sinn(x)","optimizers":[{"name":"sgd"}]}}`, "d",
			`expr: unknown function "sinn" at 1 (did you mean sin?)`},
		{`{"type":"run","id":"e","spec":{"function":"booth","optimizers":[{"name":"sgd"}]},"encoding":"xml"}`, "e",
			`encoding must be binary or json, got "xml"`},
		{`{"type":"run","id":"f"}`, "f", `spec is required`},
		{`{"type":"jump","id":"g"}`, "g", `type must be basin, inspect, run, sweep, train, train_basin, train_inspect, train_sweep or cancel, got "jump"`},
		{`{"type":"run","id":"h","spec":{},"extra":1}`, "h", `unknown field "extra" (a message has type, id, spec and encoding)`},
		{`{"tpye":"run","id":"i","spec":{}}`, "i", `unknown field "tpye" (did you mean type?)`},
		{`{"type":"run","id":"j","id":"k"}`, "j", `duplicate field "id"`},
		{`{"type":"run","id":5}`, "", `id must be a string`},
		{`{"type":"run",`, "", `malformed JSON: unexpected end of input`},
		{`["run"]`, "", `a message must be a JSON object`},
		{`{"type":"run","spec":{}}`, "", `id must be a string of 1 to 128 bytes`},
		{`{"type":"cancel","id":"zz"}`, "zz", `no run "zz" in flight`},
	}
	for _, tc := range cases {
		send(t, c, tc.msg)
		f := read(t, c)
		if f.Type != "error" || f.ID != tc.id || f.Error != tc.want {
			t.Errorf("%s\ngot  %s\nwant error id %q %q", tc.msg, f.Raw, tc.id, tc.want)
		}
	}
	c.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3})
	if f := read(t, c); f.Error != "messages must be JSON text frames" {
		t.Errorf("binary message: %s", f.Raw)
	}
	send(t, c, runMsg("ok", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if _, end := collect(t, c, "ok"); end.Type != "done" {
		t.Errorf("after errors, a good run ended with %s", end.Raw)
	}
}

func TestCancel(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	release := fillSlots(h.runs)
	send(t, c, runMsg("a", exampleSpec, ""))
	send(t, c, `{"type":"cancel","id":"a"}`)
	if f := read(t, c); f.Type != "cancelled" || f.ID != "a" {
		t.Fatalf("got %s, want cancelled a", f.Raw)
	}
	release()
	// Nothing of a follows: the next message belongs to b.
	send(t, c, runMsg("b", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if _, end := collect(t, c, "b"); end.Type != "done" {
		t.Errorf("b ended with %s", end.Raw)
	}
	send(t, c, `{"type":"cancel","id":"b"}`)
	if f := read(t, c); f.Type != "error" || f.Error != `no run "b" in flight` {
		t.Errorf("cancel after done: %s", f.Raw)
	}
}

// TestNewRunSupersedes checks that a new run stops the one in flight, which
// is answered cancelled, and that no frame of the old id follows the new
// id's first frame, also while the old run is streaming.
func TestNewRunSupersedes(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	release := fillSlots(h.runs)
	send(t, c, runMsg("a", exampleSpec, ""))
	send(t, c, runMsg("b", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if f := read(t, c); f.Type != "cancelled" || f.ID != "a" {
		t.Fatalf("got %s, want cancelled a", f.Raw)
	}
	release()
	if _, end := collect(t, c, "b"); end.Type != "done" {
		t.Fatalf("b ended with %s", end.Raw)
	}

	// Streaming: long runs, each replaced at once by the next.
	long := `{"function":"rastrigin","steps":10000,"optimizers":[` + strings.Repeat(`{"name":"adam"},`, 15) + `{"name":"sgd"}]}`
	const n = 20
	for i := range n {
		send(t, c, runMsg(fmt.Sprint("s", i), long, ""))
	}
	last := fmt.Sprint("s", n-1)
	seen := map[string]bool{}
	current := ""
	for {
		f := read(t, c)
		if f.Type == "cancelled" {
			if seen[f.ID] && f.ID != current {
				t.Fatalf("cancelled %s after a later run started", f.ID)
			}
			continue
		}
		if f.ID != current {
			if seen[f.ID] {
				t.Fatalf("frame of %s after %s started", f.ID, current)
			}
			seen[f.ID], current = true, f.ID
		}
		if f.Type == "done" {
			if f.ID != last {
				t.Fatalf("done for superseded run %s", f.ID)
			}
			break
		}
		if f.Type == "error" {
			t.Fatalf("error: %s", f.Raw)
		}
	}
}

// TestOriginAndLimits checks the origin rule and the connection limits.
// A client's close reaches the server's session only some time later, so
// the test waits for the server to release each slot before the next dial
// rather than assuming it already has (under load it had not, and the
// third accepted origin was refused with 429).
func TestOriginAndLimits(t *testing.T) {
	h, srv := newServer(t, Config{AllowedOrigins: []string{"https://course.example"}, MaxConnsPerClient: 2, MaxConns: 3})
	host := strings.TrimPrefix(srv.URL, "http://")
	cases := []struct {
		origin string
		status int
	}{
		{"http://evil.example", 403},
		{"null", 403},
		{"http://" + host + ".evil.example", 403},
		{"https://course.example", 101},
		{"http://" + host, 101},
		{"", 101},
	}
	for _, c := range cases {
		hd := http.Header{}
		if c.origin != "" {
			hd.Set("Origin", c.origin)
		}
		conn, res, err := websocket.DefaultDialer.Dial(wsURL(srv), hd)
		if res == nil || res.StatusCode != c.status {
			t.Errorf("origin %q: %v %v, want %d", c.origin, res, err, c.status)
		}
		if conn != nil {
			conn.Close()
		}
		waitFor(t, func() bool { return h.openConns() == 0 })
	}

	// Two per client address, then 429.
	dial(t, srv, nil)
	dial(t, srv, nil)
	_, res, _ := websocket.DefaultDialer.Dial(wsURL(srv), nil)
	if res == nil || res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("third connection from one address: %v, want 429 with Retry-After", res)
	}
	// The server is full: 503.
	h.mu.Lock()
	h.conns = h.cfg.MaxConns
	h.mu.Unlock()
	_, res, _ = websocket.DefaultDialer.Dial(wsURL(srv), nil)
	if res == nil || res.StatusCode != 503 || res.Header.Get("Retry-After") == "" {
		t.Errorf("full server: %v, want 503 with Retry-After", res)
	}
	h.mu.Lock()
	h.conns = 2
	h.mu.Unlock()
}

func TestOversizeMessageCloses1009(t *testing.T) {
	_, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	send(t, c, `{"type":"train","id":"x","spec":{"dataset":{"csv":"`+strings.Repeat("x", TrainBytesLimit)+`"}}}`)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Errorf("got %v, want close 1009", err)
	}
}

// TestAbruptDisconnect drops connections mid-stream without a close frame;
// the sessions must end and leave no goroutine (TestMain checks with goleak).
func TestAbruptDisconnect(t *testing.T) {
	h, srv := newServer(t, Config{})
	long := `{"function":"rastrigin","steps":10000,"optimizers":[` + strings.Repeat(`{"name":"adam"},`, 15) + `{"name":"sgd"}]}`
	for range 5 {
		c := dial(t, srv, nil)
		send(t, c, runMsg("a", long, ""))
		read(t, c) // streaming has begun
		c.UnderlyingConn().Close()
	}
	waitFor(t, func() bool { h.mu.Lock(); defer h.mu.Unlock(); return h.conns == 0 && len(h.sessions) == 0 })
}

// TestSlowReaderDisconnected checks that a client that does not read is
// disconnected after the write deadline, and that its run stops.
func TestSlowReaderDisconnected(t *testing.T) {
	h, srv := newSlowClientServer(t, Config{}, 200*time.Millisecond)
	c := dialSlowClient(t, srv)
	long := `{"function":"rastrigin","steps":10000,"optimizers":[` + strings.Repeat(`{"name":"adam"},`, 15) + `{"name":"sgd"}]}`
	send(t, c, runMsg("a", long, `,"encoding":"json"`))
	// Read nothing. The server must give up on us.
	waitFor(t, func() bool { return h.openConns() == 0 })
	if n := inUse(h.runs); n != 0 {
		t.Errorf("%d runs still hold the semaphore", n)
	}
}

// TestKeepAliveDropsSilentClient checks the production keep-alive timings:
// a client that never reads never answers a ping and is dropped once
// pongWait has passed, while one that reads (and so answers every ping)
// stays as long as it likes. It runs on synctest's fake clock over an
// in-memory network, so the minutes of pings take no time and a loaded
// machine cannot make a live client's pong late.
func TestKeepAliveDropsSilentClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := NewHandler(Config{Logger: discard()})
		tm := h.timing
		dial := serveMem(t, h)
		live := dial()
		var pings atomic.Int32
		live.SetPingHandler(func(data string) error {
			pings.Add(1)
			return live.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(tm.writeWait))
		})
		go func() {
			for {
				if _, _, err := live.ReadMessage(); err != nil {
					return
				}
			}
		}()
		silent := dial()
		synctest.Wait()
		if n := h.openConns(); n != 2 {
			t.Fatalf("%d connections after dialling two", n)
		}

		time.Sleep(tm.pongWait + tm.pingPeriod/2)
		synctest.Wait()
		if n := h.openConns(); n != 1 {
			t.Fatalf("%d connections a pongWait after connecting, want the live one", n)
		}
		if _, _, err := silent.ReadMessage(); err == nil {
			t.Error("the silent client's connection is still open")
		}

		const periods = 10
		before := pings.Load()
		time.Sleep(periods * tm.pingPeriod)
		synctest.Wait()
		if n := h.openConns(); n != 1 {
			t.Errorf("%d connections after %d more ping periods, want the live one", n, periods)
		}
		if got := pings.Load() - before; got != periods {
			t.Errorf("live client answered %d pings in %d ping periods", got, periods)
		}
	})
}

func TestShutdownClosesWith1001(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	done := make(chan error, 1)
	go func() {
		_, _, err := c.ReadMessage() // answers the close frame
		done <- err
	}()
	// The session registers after the handshake's response is sent.
	waitFor(t, func() bool { h.mu.Lock(); defer h.mu.Unlock(); return len(h.sessions) == 1 })
	ctx, cancel := contextWithTimeout(waitGuard)
	defer cancel()
	if err := h.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-done; !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("client saw %v, want close 1001", err)
	}
	if _, res, _ := websocket.DefaultDialer.Dial(wsURL(srv), nil); res == nil || res.StatusCode != 503 {
		t.Errorf("dial after shutdown: %v, want 503", res)
	}
}

// TestSlowReaderHoldsNoRunSlot checks that a client that stops reading
// blocks only its own session: with a single run slot on the server, another
// client's run completes while the slow client is still connected and
// blocked. The write deadline is long, so the slow client is not simply
// dropped first; were the slot held, the quick run could not finish.
func TestSlowReaderHoldsNoRunSlot(t *testing.T) {
	h, srv := newSlowClientServer(t, Config{MaxRuns: 1}, 2*waitGuard)
	slow := dialSlowClient(t, srv)
	long := `{"function":"rastrigin","steps":10000,"optimizers":[` + strings.Repeat(`{"name":"adam"},`, 15) + `{"name":"sgd"}]}`
	send(t, slow, runMsg("slow", long, `,"encoding":"json"`))
	// Its session is blocked on the client once its queue is full.
	waitFor(t, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		for s := range h.sessions {
			return len(s.send) == cap(s.send) && inUse(h.runs) == 0
		}
		return false
	})

	c := dial(t, srv, nil)
	start := time.Now()
	send(t, c, runMsg("quick", long, ""))
	if _, end := collect(t, c, "quick"); end.Type != "done" {
		t.Fatalf("quick run ended with %s", end.Raw)
	}
	t.Logf("another client's run took %v while a slow reader was blocked", time.Since(start))
	if n := h.openConns(); n != 2 {
		t.Errorf("%d connections when the quick run ended, want the slow one still there too", n)
	}
	slow.UnderlyingConn().Close()
	waitFor(t, func() bool { return h.openConns() == 1 })
}
