package api

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/gorilla/websocket"
)

type basinBody struct {
	Grid      int            `json:"grid"`
	Box       [4]float64     `json:"box"`
	Optimizer map[string]any `json:"optimizer"`
	Schedule  map[string]any `json:"schedule"`
	Statuses  []string       `json:"statuses"`
	Critical  []struct {
		Kind   string  `json:"kind"`
		X      float64 `json:"x"`
		Y      float64 `json:"y"`
		Global bool    `json:"global"`
	} `json:"critical"`
	Cells   []basinCell     `json:"cells"`
	Summary json.RawMessage `json:"summary"`
}

// basinCell is [reached, status, step, x, y].
type basinCell [5]float64

// TestBasinCellsMatchRuns checks the map's promise: a cell of the map is
// the run a user gets by clicking that start with the same settings, the
// same status, step and end point bit for bit, both on the fast Adam
// engines and on the generic one (momentum with gradient noise).
func TestBasinCellsMatchRuns(t *testing.T) {
	_, srv := newServer(t, Config{})
	cases := []struct {
		name, base, opt, extra string
		grid                   int
	}{
		{"adam-himmelblau", `"function":"himmelblau","steps":500`, `{"name":"adam","lr":0.05,"betas":[0.9,0.999],"eps":1e-8}`, `,"box":[-5,5,-5,5]`, 24},
		{"momentum-noise-double-well", `"function":"double-well","steps":300,"noise":0.5,"seed":7`, `{"name":"sgd","lr":0.05,"momentum":0.8}`, ``, 12},
		{"sgd-large-lr-rosenbrock", `"function":"rosenbrock","steps":200`, `{"name":"sgd","lr":0.01}`, `,"box":[-2,2,-1,3]`, 10},
		{"adamw-steplr-schedule", `"function":"double-well","steps":600,"schedule":{"name":"steplr","step_size":100,"gamma":0.5}`, `{"name":"adamw","lr":0.05,"weight_decay":0}`, ``, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := post(t, srv.URL+"/api/v1/basins", `{`+tc.base+`,"optimizers":[`+tc.opt+`],"grid":`+fmt.Sprint(tc.grid)+tc.extra+`}`)
			if res.StatusCode != 200 {
				t.Fatalf("%d: %s", res.StatusCode, body)
			}
			var m basinBody
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			n := tc.grid
			if m.Grid != n || len(m.Cells) != n*n || !reflect.DeepEqual(m.Statuses, []string{"not_converged", "converged", "diverged", "left_domain", "wandering"}) {
				t.Fatalf("grid %d, %d cells, statuses %v", m.Grid, len(m.Cells), m.Statuses)
			}
			if strings.Contains(tc.base, "schedule") != (m.Schedule != nil) {
				t.Errorf("schedule %v", m.Schedule)
			}
			statuses := map[float64]int{}
			for _, c := range m.Cells {
				statuses[c[1]]++
			}
			t.Logf("cells by status %v", statuses)
			// Corners, edges and a spread of inner cells.
			for k := 0; k < n*n; k += max(1, n*n/37) {
				i, j := k%n, k/n
				if k == 0 {
					i, j = n-1, n-1
				}
				x := basin.GridCoord(m.Box[0], m.Box[1], i, n)
				y := basin.GridCoord(m.Box[2], m.Box[3], j, n)
				spec := fmt.Sprintf(`{%s,"start":[%s,%s],"optimizers":[%s]}`, tc.base, runspec.FormatNumber(x), runspec.FormatNumber(y), tc.opt)
				_, rb := post(t, srv.URL+"/api/v1/runs", spec)
				var run runsBody
				if err := json.Unmarshal(rb, &run); err != nil {
					t.Fatalf("%s: %s", spec, rb)
				}
				o, pts := run.Runs[0].Outcome, run.Runs[0].Points
				c := m.Cells[j*n+i]
				if m.Statuses[int(c[1])] != o.Status || int(c[2]) != o.Step {
					t.Errorf("cell (%d, %d) at (%v, %v): %s at %v, run %s at %d", i, j, x, y, m.Statuses[int(c[1])], c[2], o.Status, o.Step)
					continue
				}
				if last := pts[len(pts)-1]; c[3] != last[0] || c[4] != last[1] {
					t.Errorf("cell (%d, %d): ends at (%v, %v), run at (%v, %v)", i, j, c[3], c[4], last[0], last[1])
				}
				switch r := int(c[0]); {
				case r < 0:
					if o.Reached != nil && o.Status == "converged" && isKnown(m, o.Reached.X, o.Reached.Y) {
						t.Errorf("cell (%d, %d): no critical point, run reached %+v", i, j, *o.Reached)
					}
				case o.Reached == nil || m.Critical[r].X != o.Reached.X || m.Critical[r].Y != o.Reached.Y:
					t.Errorf("cell (%d, %d): reached critical %d %+v, run %+v", i, j, r, m.Critical[r], o.Reached)
				}
			}
		})
	}
}

func isKnown(m basinBody, x, y float64) bool {
	for _, c := range m.Critical {
		if c.X == x && c.Y == y {
			return true
		}
	}
	return false
}

// basinRow is one decoded row message.
type basinRow struct {
	row, done int
	cells     []basinCell
}

// decodeBasinRow reads a binary row frame (type 2) by docs/DESIGN.md's
// table, independently of the encoder.
func decodeBasinRow(t *testing.T, b []byte) (string, basinRow) {
	t.Helper()
	le := binary.LittleEndian
	if len(b) < 16 || b[0] != 2 || b[1] != 0 {
		t.Fatalf("bad basin row header % x", b[:min(16, len(b))])
	}
	idLen := int(le.Uint16(b[2:]))
	head := 16 + (idLen+7)/8*8
	n := int(le.Uint32(b[8:]))
	if len(b) != head+(25*n+7)/8*8 || len(b)%8 != 0 {
		t.Fatalf("row frame of %d bytes for id length %d and %d cells", len(b), idLen, n)
	}
	for _, pad := range append(b[16+idLen:head:head], b[head+25*n:]...) {
		if pad != 0 {
			t.Fatal("non-zero padding")
		}
	}
	r := basinRow{row: int(le.Uint32(b[4:])), done: int(le.Uint32(b[12:]))}
	p := b[head:]
	for i := range n {
		r.cells = append(r.cells, basinCell{
			float64(int32(le.Uint32(p[16*n+4*i:]))),
			float64(p[24*n+i]),
			float64(int32(le.Uint32(p[20*n+4*i:]))),
			math.Float64frombits(le.Uint64(p[8*i:])),
			math.Float64frombits(le.Uint64(p[8*(n+i):])),
		})
	}
	return string(b[16 : 16+idLen]), r
}

// basinMsg is a decoded basin message: start, a row, done, or another.
type basinMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Error   string          `json:"error"`
	Row     int             `json:"row"`
	Done    int             `json:"done"`
	Cells   []basinCell     `json:"cells"`
	Grid    int             `json:"grid"`
	Summary json.RawMessage `json:"summary"`
	raw     []byte
}

func readBasin(t *testing.T, c *websocket.Conn) basinMsg {
	t.Helper()
	kind, data := readMessage(t, c)
	if kind == websocket.BinaryMessage {
		id, r := decodeBasinRow(t, data)
		return basinMsg{Type: "basin_row", ID: id, Row: r.row, Done: r.done, Cells: r.cells}
	}
	var m basinMsg
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	m.raw = data
	return m
}

// collectBasin reads a whole map of id: basin_start, every row once with
// the progress count rising by one, then basin_done.
func collectBasin(t *testing.T, c *websocket.Conn, id string) ([]basinCell, json.RawMessage) {
	t.Helper()
	start := readBasin(t, c)
	if start.Type != "basin_start" || start.ID != id {
		t.Fatalf("got %s %s, want basin_start of %s", start.Type, start.raw, id)
	}
	n := start.Grid
	grid := make([]basinCell, n*n)
	seen := make([]bool, n)
	for k := 1; ; k++ {
		m := readBasin(t, c)
		if m.ID != id {
			t.Fatalf("message of %q during %q", m.ID, id)
		}
		if m.Type == "basin_done" {
			if k != n+1 {
				t.Fatalf("basin_done after %d rows of %d", k-1, n)
			}
			return grid, m.Summary
		}
		if m.Type != "basin_row" || m.Done != k || m.Row < 0 || m.Row >= n || seen[m.Row] || len(m.Cells) != n {
			t.Fatalf("row message %d: %s row %d done %d, %d cells %s", k, m.Type, m.Row, m.Done, len(m.Cells), m.raw)
		}
		seen[m.Row] = true
		copy(grid[m.Row*n:], m.Cells)
	}
}

// TestBasinStream checks both websocket encodings against the REST map.
func TestBasinStream(t *testing.T) {
	_, srv := newServer(t, Config{})
	spec := `{"function":"himmelblau","steps":300,"optimizers":[{"name":"adam","lr":0.05}],"grid":20}`
	_, body := post(t, srv.URL+"/api/v1/basins", spec)
	var want basinBody
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	c := dial(t, srv, nil)
	for _, enc := range []string{"", `,"encoding":"json"`} {
		send(t, c, `{"type":"basin","id":"m","spec":`+spec+enc+`}`)
		got, sum := collectBasin(t, c, "m")
		if !reflect.DeepEqual(got, want.Cells) {
			t.Errorf("encoding %q: streamed cells differ from REST", enc)
		}
		if string(sum) != string(want.Summary) {
			t.Errorf("encoding %q: summary %s, REST %s", enc, sum, want.Summary)
		}
	}
}

// TestBasinCancelAndPolicy checks that a new basin request cancels the one
// in flight, cancel answers cancelled, and that many-run jobs waiting for
// the server's job slots do not keep a trajectory run from computing.
func TestBasinCancelAndPolicy(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	release := fillSlots(h.heavy)
	spec := `{"function":"himmelblau","steps":200,"optimizers":[{"name":"momentum"}],"grid":16}`
	send(t, c, `{"type":"basin","id":"a","spec":`+spec+`}`)
	if m := readBasin(t, c); m.Type != "basin_start" || m.ID != "a" {
		t.Fatalf("got %s", m.raw)
	}
	send(t, c, `{"type":"basin","id":"b","spec":`+spec+`}`)
	if m := readBasin(t, c); m.Type != "cancelled" || m.ID != "a" {
		t.Fatalf("got %s, want cancelled a", m.raw)
	}
	if m := readBasin(t, c); m.Type != "basin_start" || m.ID != "b" {
		t.Fatalf("got %s", m.raw)
	}
	send(t, c, runMsg("r", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if _, end := collect(t, c, "r"); end.Type != "done" {
		t.Fatalf("run ended with %s", end.Raw)
	}
	send(t, c, `{"type":"cancel","id":"b"}`)
	if m := readBasin(t, c); m.Type != "cancelled" || m.ID != "b" {
		t.Fatalf("got %s, want cancelled b", m.raw)
	}
	release()
	send(t, c, `{"type":"basin","id":"c","spec":`+spec+`}`)
	collectBasin(t, c, "c")

	// Cancel mid-stream: a 256² map of a slow engine, cancelled after its
	// first row, stops and sends nothing more of its id.
	big := `{"function":"rastrigin","steps":1000,"optimizers":[{"name":"nadam"}],"grid":256}`
	send(t, c, `{"type":"basin","id":"d","spec":`+big+`}`)
	for m := readBasin(t, c); m.Type != "basin_row"; m = readBasin(t, c) {
	}
	send(t, c, `{"type":"cancel","id":"d"}`)
	for {
		m := readBasin(t, c)
		if m.Type == "cancelled" && m.ID == "d" {
			break
		}
		if m.Type != "basin_row" || m.ID != "d" {
			t.Fatalf("got %s %s", m.Type, m.raw)
		}
	}
	send(t, c, runMsg("r2", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if _, end := collect(t, c, "r2"); end.Type != "done" {
		t.Fatalf("run ended with %s", end.Raw)
	}
}

// TestBasinDisconnectStops checks that a client leaving in the middle of
// a big map (no close frame) stops its computation at once: the job gives
// back its slots, and goleak (TestMain) finds no goroutine left.
func TestBasinDisconnectStops(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	big := `{"function":"rastrigin","steps":2000,"optimizers":[{"name":"nadam"}],"grid":64}`
	send(t, c, `{"type":"sweep","id":"s","spec":{"function":"rastrigin","steps":10000,"optimizers":[{"name":"nadam"}],"count":256,"lr_min":1e-6,"lr_max":1e-3}}`)
	send(t, c, `{"type":"basin","id":"d","spec":`+big+`}`)
	for m := readBasin(t, c); m.Type != "basin_row"; m = readBasin(t, c) {
	}
	c.UnderlyingConn().Close()
	// Both jobs must give their slots back (waitFor's guard only catches a
	// hang); that they stop mid-computation when their context ends is
	// internal/basin's TestBasinsCancel and TestSweepCancel.
	waitFor(t, func() bool { return inUse(h.heavy) == 0 && inUse(h.runs) == 0 })
}

// TestSlowReaderHoldsNoJobSlot checks that a client that stops reading in
// the middle of its map keeps no slot: with one run slot (and so one
// many-run job slot) on the server, another client's map and run still
// complete.
func TestSlowReaderHoldsNoJobSlot(t *testing.T) {
	h, srv := newSlowClientServer(t, Config{MaxRuns: 1}, 2*waitGuard)
	slow := dialSlowClient(t, srv)
	send(t, slow, `{"type":"basin","id":"slow","encoding":"json","spec":{"function":"himmelblau","steps":40,"optimizers":[{"name":"adam","lr":0.05}],"grid":96}}`)
	if m := readBasin(t, slow); m.Type != "basin_start" {
		t.Fatalf("got %s", m.raw)
	}
	// The slow client reads no further. A job that waited for it while
	// holding the only slot would hold it for the long write deadline,
	// past the quick client's read deadline, and the slow client would be
	// gone before the quick map ends.

	c := dial(t, srv, nil)
	send(t, c, `{"type":"basin","id":"quick","spec":{"function":"booth","steps":50,"optimizers":[{"name":"sgd"}],"grid":8}}`)
	collectBasin(t, c, "quick")
	send(t, c, runMsg("r", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if _, end := collect(t, c, "r"); end.Type != "done" {
		t.Fatalf("run ended with %s", end.Raw)
	}
	if n := h.openConns(); n != 2 {
		t.Errorf("%d connections when the quick jobs ended, want the slow one still there too", n)
	}
	slow.UnderlyingConn().Close()
	waitFor(t, func() bool { return h.openConns() == 1 })
}

func TestHeavyLimit(t *testing.T) {
	for _, tc := range []struct{ runs, want int }{{1, 1}, {3, 1}, {4, 1}, {8, 2}, {16, 4}, {64, 16}} {
		if got := heavyLimit(tc.runs); got != tc.want {
			t.Errorf("heavyLimit(%d) = %d, want %d", tc.runs, got, tc.want)
		}
	}
}

// The engines' benchmark map (256² Adam on Himmelblau, 500 steps) through
// the API: what encoding and transport add to the engine's time.
const benchBasinSpec = `{"function":"himmelblau","steps":500,"optimizers":[{"name":"adam","lr":0.05,"betas":[0.9,0.999],"eps":1e-8}],"grid":256,"box":[-5,5,-5,5]}`

func BenchmarkBasinREST(b *testing.B) {
	h := NewHandler(Config{Logger: discard()})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for b.Loop() {
		res, err := http.Post(srv.URL+"/api/v1/basins", "application/json", strings.NewReader(benchBasinSpec))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		b.SetBytes(n)
	}
}

func BenchmarkBasinStream(b *testing.B) {
	for _, enc := range []string{"binary", "json"} {
		b.Run(enc, func(b *testing.B) {
			h := NewHandler(Config{Logger: discard()})
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/ws", nil)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			msg := []byte(`{"type":"basin","id":"b","encoding":"` + enc + `","spec":` + benchBasinSpec + `}`)
			for b.Loop() {
				c.WriteMessage(websocket.TextMessage, msg)
				var n int64
				for {
					_, data, err := c.ReadMessage()
					if err != nil {
						b.Fatal(err)
					}
					n += int64(len(data))
					if bytes.Contains(data[:min(len(data), 40)], []byte(`"basin_done"`)) {
						break
					}
				}
				b.SetBytes(n)
			}
		})
	}
}

// BenchmarkBasinEncode is the encoding cost of a 256² map, per map: JSON
// cells (REST, "encoding":"json" rows) against binary type-2 rows.
func BenchmarkBasinEncode(b *testing.B) {
	const n = 256
	cells := make([]basin.Cell, n*n)
	for i := range cells {
		cells[i] = basin.Cell{End: landscape.Vec{X: 3 + float64(i)*1e-9, Y: -2.805118086952745 - float64(i)*1e-10}, Status: 1, Step: int32(300 + i%200), Reached: int32(i % 4)}
	}
	b.Run("json", func(b *testing.B) {
		buf := make([]byte, 0, 4<<20)
		for b.Loop() {
			buf = buf[:0]
			for r := range n {
				buf, _ = appendCellsJSON(buf, cells[r*n:(r+1)*n])
			}
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("binary", func(b *testing.B) {
		buf := make([]byte, 0, 4<<20)
		for b.Loop() {
			buf = buf[:0]
			for r := range n {
				buf, _ = appendBasinRowFrame(buf, "b1", r, r+1, cells[r*n:(r+1)*n])
			}
		}
		b.SetBytes(int64(len(buf)))
	})
}
