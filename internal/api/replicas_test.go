package api

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestReplicasAgree starts two servers, as two replicas behind a load
// balancer, and checks that the same link gets byte-identical answers from
// both: Basin keeps no state between requests, so any replica may answer
// any request (and a websocket reconnecting to another replica re-sends its
// run and gets the same trajectory).
func TestReplicasAgree(t *testing.T) {
	_, a := newServer(t, Config{})
	_, b := newServer(t, Config{})
	const link = "v=1&f=himmelblau&start=0,0&lr=0.01&steps=300&seed=7&noise=0.1&opt=adam(lr=0.05)&opt=sgd(momentum=0.9,nesterov=true)"
	for _, c := range []struct {
		name, method, path, body string
	}{
		{"run from a permalink", "GET", "/api/v1/runs?" + link, ""},
		{"run as CSV", "GET", "/api/v1/runs?" + link + "&format=csv", ""},
		{"run from a spec", "POST", "/api/v1/runs",
			`{"function":"rosenbrock","start":[-1.5,2],"steps":400,"seed":3,"noise":0.05,"optimizers":[{"name":"rmsprop","lr":0.01},{"name":"adamw"}]}`},
		{"custom expression run", "GET", "/api/v1/runs?v=1&expr=sin(x)*cos(y)%2B0.1*(x%5E2%2By%5E2)&steps=200&opt=adagrad", ""},
		{"basin map", "POST", "/api/v1/basins", `{"function":"himmelblau","steps":200,"optimizers":[{"name":"adam","lr":0.05}],"grid":24}`},
		{"noisy basin map", "POST", "/api/v1/basins", `{"function":"rastrigin","steps":100,"noise":0.2,"seed":11,"optimizers":[{"name":"sgd","lr":0.01}],"grid":16}`},
		{"sweep", "POST", "/api/v1/sweeps", quadSweep},
		{"landscape grid", "GET", "/api/v1/landscape?f=ackley&nx=96&ny=64", ""},
		{"landscape display grid", "GET", "/api/v1/landscape?expr=x%5E2-y%5E2&domain=-2,2,-2,2&nx=80&ny=80&enc=u16", ""},
		{"custom function", "GET", "/api/v1/functions/custom?expr=(1-x)%5E2%2B100*(y-x%5E2)%5E2", ""},
		{"catalog", "GET", "/api/v1/functions", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ask := func(base string) []byte {
				req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
				if c.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, body := do(t, req)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d %s", base, res.StatusCode, body)
				}
				return body
			}
			x, y := ask(a.URL), ask(b.URL)
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("the replicas differ (%d and %d bytes)", len(x), len(y))
			}
		})
	}
}

// TestReplicasStreamAgree runs the same spec over the websocket of two
// servers. How points are batched into frames depends on timing, so what
// must agree is every run's points, in order, and the final message.
func TestReplicasStreamAgree(t *testing.T) {
	_, a := newServer(t, Config{})
	_, b := newServer(t, Config{})
	spec := `{"function":"himmelblau","start":[0,0],"steps":800,"seed":5,"noise":0.1,"optimizers":[{"name":"adam","lr":0.05},{"name":"sgd","lr":0.01,"momentum":0.9}]}`
	stream := func(srv string) (points map[uint32][]byte, done []byte) {
		c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv, "http")+"/api/v1/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		send(t, c, runMsg("r1", spec, ""))
		points = map[uint32][]byte{}
		for {
			kind, data := readMessage(t, c)
			if kind == websocket.BinaryMessage {
				// type, reserved, id length, run, from, count, id padded to 8, points
				n := int(binary.LittleEndian.Uint16(data[2:]))
				run := binary.LittleEndian.Uint32(data[4:])
				points[run] = append(points[run], data[16+(n+7)/8*8:]...)
				continue
			}
			var m struct{ Type string }
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			if m.Type == "done" || m.Type == "error" {
				return points, data
			}
		}
	}
	pa, da := stream(a.URL)
	pb, db := stream(b.URL)
	if !bytes.Equal(da, db) || !strings.Contains(string(da), `"type":"done"`) {
		t.Errorf("final messages differ or failed:\n%s\n%s", da, db)
	}
	if len(pa) != 2 || len(pb) != 2 {
		t.Fatalf("runs streamed: %d and %d, want 2", len(pa), len(pb))
	}
	for run, p := range pa {
		if len(p) == 0 || !bytes.Equal(p, pb[run]) {
			t.Errorf("run %d: points differ (%d and %d bytes)", run, len(p), len(pb[run]))
		}
	}
}
