package api

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/basin-dev/basin/internal/version"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// updateGolden rewrites testdata/golden from the current server. The files
// were recorded before the handlers' encoders were reorganised; every
// answer must stay the same to the byte, so update them only for a change
// of the API itself.
var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current server")

// goldenREST are representative requests of every REST endpoint: catalogs,
// runs in both formats, jobs, the landscape grid and errors of each kind.
var goldenREST = []struct{ name, method, path, body string }{
	{"healthz", "GET", "/healthz", ""},
	{"functions", "GET", "/api/v1/functions", ""},
	{"function-himmelblau", "GET", "/api/v1/functions/himmelblau", ""},
	{"function-unknown", "GET", "/api/v1/functions/himelblau", ""},
	{"function-custom", "GET", "/api/v1/functions/custom?expr=x%5E4-2*x%5E2%2By%5E2&domain=-2,2,-2,2", ""},
	{"function-custom-bad", "GET", "/api/v1/functions/custom?expr=sinn(x)", ""},
	{"optimizers", "GET", "/api/v1/optimizers", ""},
	{"examples", "GET", "/api/v1/examples", ""},
	{"runs-get", "GET", "/api/v1/runs?v=1&f=himmelblau&start=0.5,-1&steps=60&opt=adam(lr=0.05,betas=0.9/0.999)&opt=sgd(momentum=0.9,nesterov=true)&opt=momentum", ""},
	{"runs-get-sched", "GET", "/api/v1/runs?v=1&f=booth&steps=12&lr=0.1&sched=linearlr(start_factor=0.5,total_iters=6)&opt=adagrad&opt=adamax(lr=0.02)&panel=x", ""},
	{"runs-get-csv", "GET", "/api/v1/runs?v=1&f=rosenbrock&steps=30&opt=sgd&opt=sgd(lr=0.0001)&format=csv", ""},
	{"runs-post-schedule", "POST", "/api/v1/runs", `{"function":"booth","steps":40,"lr":0.05,"schedule":{"name":"steplr","step_size":10,"gamma":0.5},"optimizers":[{"name":"rmsprop"},{"name":"adamw","weight_decay":0.1}]}`},
	{"runs-post-expr", "POST", "/api/v1/runs", `{"expr":"(x^2+y-11)^2 + (x+y^2-7)^2","domain":[-6,6,-6,6],"steps":25,"noise":0.3,"seed":7,"clip_norm":10,"optimizers":[{"name":"nadam"}]}`},
	{"runs-post-diverge", "POST", "/api/v1/runs", `{"function":"quadratic","start":[-4,3.5],"lr":3,"optimizers":[{"name":"sgd"}]}`},
	{"sweep", "POST", "/api/v1/sweeps", `{"function":"quadratic","start":[-4,3.5],"steps":200,"optimizers":[{"name":"sgd"}],"lr_min":0.001,"lr_max":10,"count":12}`},
	{"sweep-schedule", "POST", "/api/v1/sweeps", `{"function":"himmelblau","steps":100,"schedule":{"name":"cosineannealinglr","T_max":100},"optimizers":[{"name":"adam"},{"name":"sgd"}],"optimizer":1,"count":8}`},
	{"basin", "POST", "/api/v1/basins", `{"function":"himmelblau","steps":200,"optimizers":[{"name":"adam","lr":0.05}],"grid":6,"box":[-5,5,-5,5]}`},
	{"basin-generic", "POST", "/api/v1/basins", `{"function":"double-well","steps":100,"noise":0.2,"optimizers":[{"name":"momentum"}],"grid":5}`},
	{"inspect", "POST", "/api/v1/inspect", `{"function":"quadratic","start":[-4,3.5],"lr":3,"optimizers":[{"name":"sgd"}],"step":17}`},
	{"inspect-adam", "POST", "/api/v1/inspect", `{"function":"himmelblau","optimizers":[{"name":"adam"},{"name":"adagrad"}],"optimizer":0,"step":3}`},
	{"inspect-start", "POST", "/api/v1/inspect", `{"function":"himmelblau","optimizers":[{"name":"rmsprop","centered":true,"momentum":0.5}],"step":0}`},
	{"inspect-last", "POST", "/api/v1/inspect", `{"function":"booth","steps":300,"schedule":{"name":"exponentiallr","gamma":0.99},"optimizers":[{"name":"adadelta","lr":1}],"step":300}`},
	{"inspect-lion", "POST", "/api/v1/inspect", `{"function":"rosenbrock","optimizers":[{"name":"lion","lr":0.001}],"step":40}`},
	{"sweep-tiny", "POST", "/api/v1/sweeps", `{"function":"rastrigin","steps":50,"noise":0.5,"optimizers":[{"name":"adagrad"}],"lr_min":1e-3,"lr_max":1e3,"count":3}`},
	{"landscape", "GET", "/api/v1/landscape?f=himmelblau&nx=5&ny=4", ""},
	{"landscape-expr", "GET", "/api/v1/landscape?expr=x*y&domain=-1,1,-1,1&nx=3&ny=3&lang=ja", ""},
	{"error-malformed", "POST", "/api/v1/runs", `{"function":"booth",`},
	{"error-syntax", "POST", "/api/v1/runs", `{"function":"booth" "x":1}`},
	{"error-unknown-field", "POST", "/api/v1/runs", `{"function":"booth","stpes":5,"optimizers":[{"name":"sgd"}]}`},
	{"error-control-chars", "POST", "/api/v1/runs", "{\"function\":\"booth\",\"domain\":[1,\r\n\t2],\"optimizers\":[{\"name\":\"sgd\"}]}"},
	{"error-quoted-input", "POST", "/api/v1/runs", `{"function":"<b>&\u2028\u00e9\u0007\u007f","optimizers":[{"name":"sgd"}]}`},
	{"error-expr-pos", "POST", "/api/v1/runs", `{"expr":"x+ y*","optimizers":[{"name":"adam"}]}`},
	{"error-lr", "POST", "/api/v1/runs", `{"function":"himmelblau","optimizers":[{"name":"adam"},{"name":"sgd","lr":-0.1}]}`},
	{"error-schedule", "POST", "/api/v1/runs", `{"function":"booth","schedule":{"name":"cosin"},"optimizers":[{"name":"sgd"}]}`},
	{"error-query", "GET", "/api/v1/runs?v=1&f=booth&opt=sgd&stpes=3", ""},
	{"error-version", "GET", "/api/v1/runs?v=2&f=booth&opt=sgd", ""},
	{"error-format", "GET", "/api/v1/runs?v=1&f=booth&opt=sgd&format=xml", ""},
	{"error-job-field", "POST", "/api/v1/basins", `{"function":"booth","optimizers":[{"name":"sgd"}],"grdi":8}`},
	{"error-basin-work", "POST", "/api/v1/basins", `{"function":"booth","steps":10000,"optimizers":[{"name":"sgd"}],"grid":256}`},
	{"error-sweep-lr", "POST", "/api/v1/sweeps", `{"function":"booth","optimizers":[{"name":"sgd"}],"lr_min":1,"lr_max":0.5}`},
	{"error-inspect-optimizer", "POST", "/api/v1/inspect", `{"function":"booth","optimizers":[{"name":"sgd"},{"name":"adam"}],"step":1}`},
	{"error-not-found", "GET", "/api/v1/nothing", ""},
	{"error-method", "DELETE", "/api/v1/runs", ""},
	{"error-landscape-nx", "GET", "/api/v1/landscape?f=booth&nx=1", ""},
	{"error-examples-query", "GET", "/api/v1/examples?x=1", ""},
}

// goldenWS are representative websocket exchanges: the messages sent, in
// order, and how many answers to read. Sweeps and basin maps send their
// points and rows as they finish, in no fixed order, so their answers are
// compared as a sorted set.
var goldenWS = []struct {
	name   string
	send   []string
	answer int
	sorted bool
}{
	{"ws-run-binary", []string{`{"type":"run","id":"r1","spec":{"function":"himmelblau","steps":1500,"optimizers":[{"name":"adam"},{"name":"sgd","lr":0.001}]}}`}, 5, false},
	{"ws-run-json", []string{`{"type":"run","id":"r\"2","encoding":"json","spec":{"function":"booth","steps":20,"schedule":{"name":"exponentiallr","gamma":0.9},"optimizers":[{"name":"lion"}]}}`}, 2, false},
	{"ws-run-error", []string{`{"type":"run","id":"e","spec":{"function":"booth","optimizers":[{"name":"adm"}]}}`}, 1, false},
	{"ws-bad-messages", []string{`{"type":"walk","id":"w","spec":{}}`, `{"type":"run","id":"","spec":{}}`, `{"tpye":"run"}`, `[1]`, `{"type":"cancel","id":"none"}`, `{"type":"run","id":"x","encoding":"xml","spec":{}}`}, 6, false},
	{"ws-basin-binary", []string{`{"type":"basin","id":"b","spec":{"function":"himmelblau","steps":100,"optimizers":[{"name":"adam","lr":0.05}],"grid":4}}`}, 6, true},
	{"ws-basin-json", []string{`{"type":"basin","id":"bj","encoding":"json","spec":{"function":"booth","steps":50,"optimizers":[{"name":"sgd"}],"grid":3,"box":[-1,1,-1,1]}}`}, 5, true},
	{"ws-sweep", []string{`{"type":"sweep","id":"s","spec":{"function":"quadratic","steps":100,"optimizers":[{"name":"sgd"}],"count":5}}`}, 6, true},
	{"ws-inspect", []string{`{"type":"inspect","id":"i","spec":{"function":"quadratic","start":[-4,3.5],"lr":3,"optimizers":[{"name":"sgd"}],"step":17}}`}, 1, false},
}

// TestGoldenAnswers requires every recorded answer, REST bodies with
// their status and content type and websocket messages, to be the same to
// the byte.
func TestGoldenAnswers(t *testing.T) {
	// A fixed version, so /healthz's answer does not depend on the build.
	_, srv := newServer(t, Config{Version: version.Info{Version: "v1.0.0", Go: "go1.26.8"}})
	dir := filepath.Join("testdata", "golden")
	check := func(name string, got []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		if *updateGolden {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the recorded answer:\n got %q\nwant %q", name, clipBytes(got), clipBytes(want))
		}
	}
	for _, c := range goldenREST {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		res, body := do(t, req)
		head := fmt.Sprintf("%d %s\n", res.StatusCode, res.Header.Get("Content-Type"))
		check(c.name, append([]byte(head), body...))
	}
	for _, c := range goldenWS {
		conn := dial(t, srv, nil)
		for _, m := range c.send {
			send(t, conn, m)
		}
		var msgs [][]byte
		for range c.answer {
			kind, data := readMessage(t, conn)
			prefix := "text "
			if kind == websocket.BinaryMessage {
				prefix = "binary "
			}
			msgs = append(msgs, append([]byte(prefix), data...))
		}
		if c.sorted {
			for i := range msgs {
				msgs[i] = maskRowsDone(msgs[i])
			}
			slices.SortFunc(msgs, bytes.Compare)
		}
		var all []byte
		for _, m := range msgs {
			all = fmt.Appendf(all, "%d ", len(m))
			all = append(all, m...)
			all = append(all, '\n')
		}
		check(c.name, all)
		conn.Close()
	}
}

// maskRowsDone blanks a basin row's "done" (how many rows had finished
// when it was sent), which depends on the order in which rows finish on
// the cores, in both encodings: "done":N in JSON, the third header word of
// a binary row frame (type 2).
func maskRowsDone(m []byte) []byte {
	if bin, ok := bytes.CutPrefix(m, []byte("binary ")); ok && len(bin) >= 16 && bin[0] == frameTypeBasinRow {
		out := slices.Clone(m)
		clear(out[len("binary ")+12 : len("binary ")+16])
		return out
	}
	return rowsDone.ReplaceAll(m, []byte(`"done":_`))
}

var rowsDone = regexp.MustCompile(`"done":[0-9]+`)

func clipBytes(b []byte) []byte {
	if len(b) > 600 {
		return b[:600]
	}
	return b
}
