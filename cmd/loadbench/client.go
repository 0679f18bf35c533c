package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// request is a slider-drag run request: the learning rate of client c's
// k-th request sweeps back and forth over [0.002, 0.01].
func request(c, k int) (id string, msg []byte, lr float64) {
	pos := (c + k) % 40
	if pos >= 20 {
		pos = 40 - pos
	}
	lr = 0.002 + 0.0004*float64(pos)
	id = fmt.Sprintf("c%d-%d", c, k)
	opts := ""
	for i, o := range benchOptimizers {
		if i > 0 {
			opts += ","
		}
		opts += `{"name":"` + o + `"}`
	}
	msg = fmt.Appendf(nil, `{"type":"run","id":"%s","spec":{"function":"himmelblau","start":[0,0],"steps":%d,"lr":%v,"optimizers":[%s]}}`,
		id, benchSteps, lr, opts)
	return id, msg, lr
}

func dialBasin(addr string) (*websocket.Conn, error) {
	c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/api/v1/ws", nil)
	return c, err
}

// roundTrip sends one request and reads until its answer ends: done for
// Basin (any error message counts as an error), the one message for the
// baseline. It returns the bytes received and Basin's points by optimizer.
//
// Messages are read into buf, one reusable buffer per client, as a browser
// hands each message over whole: io.ReadAll's growing copies (what
// ReadMessage does) would charge the side with more messages for the
// harness rather than for the protocol.
func roundTrip(c *websocket.Conn, basin bool, id string, msg []byte, keep bool, buf *[]byte) (int, map[int][]float64, error) {
	if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
		return 0, nil, err
	}
	total := 0
	var pts map[int][]float64
	if keep {
		pts = map[int][]float64{}
	}
	for {
		kind, r, err := c.NextReader()
		if err != nil {
			return total, pts, err
		}
		data := (*buf)[:0]
		for {
			if len(data) == cap(data) {
				data = append(data, 0)[:len(data)]
			}
			n, err := r.Read(data[len(data):cap(data)])
			data = data[:len(data)+n]
			if err == io.EOF {
				break
			}
			if err != nil {
				return total, pts, err
			}
		}
		*buf = data
		total += len(data)
		if !basin {
			return total, pts, nil
		}
		if kind == websocket.BinaryMessage {
			if keep {
				n := int(binary.LittleEndian.Uint16(data[2:]))
				run := int(binary.LittleEndian.Uint32(data[4:]))
				for off := 16 + (n+7)/8*8; off < len(data); off += 8 {
					pts[run] = append(pts[run], math.Float64frombits(binary.LittleEndian.Uint64(data[off:])))
				}
			}
			continue
		}
		if bytes.HasPrefix(data, []byte(`{"type":"done","id":"`+id+`"`)) {
			return total, pts, nil // the common case, without a full parse
		}
		var m struct{ Type, ID, Error string }
		if err := json.Unmarshal(data, &m); err != nil {
			return total, pts, err
		}
		switch {
		case m.Type == "done" && m.ID == id:
			return total, pts, nil
		case m.Type == "error":
			return total, pts, fmt.Errorf("server error: %s", m.Error)
		}
	}
}

// calibrate runs one request on Basin and returns the size of its whole
// answer and how far the baseline's hand loop lands from Basin's points.
func calibrate(basin string) (size int, maxDiff float64) {
	c, err := dialBasin(basin)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	id, msg, lr := request(0, 0)
	size, pts, err := roundTrip(c, true, id, msg, true, new([]byte))
	if err != nil {
		log.Fatal(err)
	}
	for k := range benchOptimizers {
		hand := handRun(k, lr, 0, 0, nil)
		if len(hand) != len(pts[k]) {
			log.Fatalf("%s: hand loop %d values, Basin %d", benchOptimizers[k], len(hand), len(pts[k]))
		}
		for i := range hand {
			maxDiff = math.Max(maxDiff, math.Abs(hand[i]-pts[k][i]))
		}
	}
	return size, maxDiff
}

type loadResult struct {
	latencies []time.Duration
	errors    int
}

func (r loadResult) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[int(q*float64(len(r.latencies)-1))]
}

// fleet is n open client connections to one server.
type fleet struct {
	conns      []*websocket.Conn
	basin      bool
	dialErrors int
}

// dialFleet opens n connections to addr (Basin's websocket or the
// baseline's).
func dialFleet(addr string, basin bool, n int) *fleet {
	path := "/"
	if basin {
		path = "/api/v1/ws"
	}
	f := &fleet{basin: basin}
	for range n {
		c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+path, nil)
		if err != nil {
			f.dialErrors++
			continue
		}
		f.conns = append(f.conns, c)
	}
	return f
}

func (f *fleet) close() {
	for _, c := range f.conns {
		c.Close()
	}
}

// run drives every connection for d and collects request-to-answer
// latencies (sorted) and errors (broken connections, error answers; a
// broken connection leaves the fleet). k0 numbers the requests so the
// learning rate keeps moving from one run to the next.
func (f *fleet) run(d, think time.Duration, k0 int) loadResult {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	n := len(f.conns)
	for i, c := range f.conns {
		if c == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Spread the first requests over one think time.
			time.Sleep(time.Duration(i) * think / time.Duration(n))
			var lat []time.Duration
			bad := 0
			buf := make([]byte, 0, 256<<10)
			for k := k0; time.Now().Before(end); k++ {
				id, msg, _ := request(i, k)
				t0 := time.Now()
				if _, _, err := roundTrip(c, f.basin, id, msg, false, &buf); err != nil {
					bad++
					c.Close()
					f.conns[i] = nil
					break
				}
				lat = append(lat, time.Since(t0))
				time.Sleep(think)
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(all)
	return loadResult{latencies: all, errors: errs}
}
