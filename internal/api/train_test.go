package api

import (
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/runspec"
	"github.com/gorilla/websocket"
)

// trainAnswer is POST /api/v1/train's answer as a client reads it.
type trainAnswer struct {
	Task  string    `json:"task"`
	Names []string  `json:"names"`
	Rows  int       `json:"rows"`
	Steps int       `json:"steps"`
	Init  []float64 `json:"init"`
	Runs  []trainRunAnswer
	Slice struct {
		Kind      string     `json:"kind"`
		Origin    []float64  `json:"origin"`
		D1        []float64  `json:"d1"`
		D2        []float64  `json:"d2"`
		Explained [2]float64 `json:"explained"`
	} `json:"slice"`
	Landscape *struct {
		Box    [4]float64 `json:"box"`
		NX     int        `json:"nx"`
		NY     int        `json:"ny"`
		Values []*float64 `json:"values"`
	} `json:"landscape"`
	Critical []struct {
		Kind  string  `json:"kind"`
		X     float64 `json:"x"`
		Y     float64 `json:"y"`
		Value float64 `json:"value"`
	} `json:"critical"`
}

type trainRunAnswer struct {
	Optimizer struct {
		Name string  `json:"name"`
		LR   float64 `json:"lr"`
	} `json:"optimizer"`
	Params    [][]float64  `json:"params"`
	Loss      []float64    `json:"loss"`
	BatchLoss []*float64   `json:"batch_loss"`
	Accuracy  []float64    `json:"accuracy"`
	ValLoss   []float64    `json:"val_loss"`
	Points    [][3]float64 `json:"points"`
	Outcome   struct {
		Status string `json:"status"`
		Step   int    `json:"step"`
	} `json:"outcome"`
}

// trainExamples are the project's three visible training examples
// (testdata/train-examples.json at the repository root, see its README):
// exact request bodies and what PyTorch 1.13 computes for them in float64.
type trainExample struct {
	ID       string          `json:"id"`
	Request  json.RawMessage `json:"request"`
	Expected struct {
		Params [][]float64 `json:"params"`
		Loss   []float64   `json:"loss"`
	} `json:"expected"`
}

func readTrainExamples(t *testing.T) []trainExample {
	t.Helper()
	b, err := os.ReadFile("../../testdata/train-examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Cases []trainExample }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) != 3 {
		t.Fatalf("%d examples, want 3", len(f.Cases))
	}
	return f.Cases
}

func postTrain(t *testing.T, url, body string) trainAnswer {
	t.Helper()
	res, b := post(t, url, body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	var a trainAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("%v: %.300s", err, b)
	}
	return a
}

func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// TestTrainExamplesHTTP serves each example over HTTP: every recorded
// parameter and loss matches PyTorch to 1e-9, and the answer has the
// contract's shape.
func TestTrainExamplesHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, c := range readTrainExamples(t) {
		t.Run(c.ID, func(t *testing.T) {
			a := postTrain(t, srv.URL+"/api/v1/train", string(c.Request))
			if len(a.Runs) != 1 {
				t.Fatalf("%d runs", len(a.Runs))
			}
			r := a.Runs[0]
			want := c.Expected
			if len(r.Params) != len(want.Params) || len(r.Loss) != len(want.Loss) || len(r.Points) != len(want.Params) || len(r.BatchLoss) != len(want.Params) {
				t.Fatalf("rows: params %d, loss %d, points %d, batch_loss %d; PyTorch %d", len(r.Params), len(r.Loss), len(r.Points), len(r.BatchLoss), len(want.Params))
			}
			for k, row := range want.Params {
				if len(r.Params[k]) != len(a.Names) {
					t.Fatalf("row %d has %d parameters, names %d", k, len(r.Params[k]), len(a.Names))
				}
				for j, w := range row {
					if !closeTo(r.Params[k][j], w) {
						t.Fatalf("row %d %s: %.17g, PyTorch %.17g", k, a.Names[j], r.Params[k][j], w)
					}
				}
				if !closeTo(r.Loss[k], want.Loss[k]) || r.Points[k][2] != r.Loss[k] {
					t.Fatalf("row %d loss %.17g (point %.17g), PyTorch %.17g", k, r.Loss[k], r.Points[k][2], want.Loss[k])
				}
			}
			if r.BatchLoss[0] != nil || r.BatchLoss[1] == nil {
				t.Errorf("batch_loss starts %v, %v: want null then a number", r.BatchLoss[0], r.BatchLoss[1])
			}
			if a.Slice.Kind == "params" {
				for k, p := range r.Points { // the plane is the parameters themselves
					if p[0] != r.Params[k][0] || p[1] != r.Params[k][1] {
						t.Fatalf("point %d %v, params %v", k, p, r.Params[k])
					}
				}
			}
			if a.Task == "classification" && len(r.Accuracy) != len(r.Loss) {
				t.Errorf("accuracy has %d rows", len(r.Accuracy))
			}
		})
	}
}

// TestTrainLandscapeHTTP asks for a grid: the box frames every path, the
// values are the loss at the nodes (the critical point's value is the
// least), and a linear model's minimum is the least-squares line.
func TestTrainLandscapeHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	body := `{"dataset":{"name":"line","n":40,"seed":3},"model":{"kind":"linear"},"init":{"seed":1},"steps":60,"lr":0.1,
		"optimizers":[{"name":"sgd"},{"name":"adam"}],"grid":16}`
	a := postTrain(t, srv.URL+"/api/v1/train", body)
	g := a.Landscape
	if g == nil || g.NX != 16 || g.NY != 16 || len(g.Values) != 256 {
		t.Fatalf("landscape %+v", g)
	}
	for _, r := range a.Runs {
		for _, p := range r.Points {
			if p[0] < g.Box[0] || p[0] > g.Box[1] || p[1] < g.Box[2] || p[1] > g.Box[3] {
				t.Fatalf("point %v outside box %v", p, g.Box)
			}
		}
	}
	if len(a.Critical) != 1 || a.Critical[0].Kind != "minimum" {
		t.Fatalf("critical %+v", a.Critical)
	}
	for i, v := range g.Values {
		if v == nil || *v < a.Critical[0].Value-1e-12 {
			t.Fatalf("value %d = %v below the minimum %g", i, v, a.Critical[0].Value)
		}
	}
}

// TestTrainErrorsHTTP: bad requests are 400 with the field and its range.
func TestTrainErrorsHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	cases := []struct{ body, field, says string }{
		{`{"dataset":{"points":[[1,2],[3,"x"]]},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}]}`, "dataset.points[1][1]", "row 1, column 2"},
		{`{"dataset":{"name":"moons"},"model":{"kind":"mlp","hidden":[4,33],"activation":"tanh"},"optimizers":[{"name":"sgd"}]}`, "model.hidden[1]", "[1, 32]"},
		{`{"dataset":{"name":"moons"},"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"sgd"}],"grid":300}`, "grid", "[2, 256]"},
		{`{"dataset":{"name":"moons"},"modle":{}}`, "modle", "did you mean model"},
		{`{"dataset":{"name":"moons","n":2000},"model":{"kind":"mlp","hidden":[32,32,32],"activation":"relu"},"optimizers":[{"name":"sgd"}],"grid":256}`, "", "this training would take about"},
	}
	for _, c := range cases {
		res, b := post(t, srv.URL+"/api/v1/train", c.body)
		var e struct{ Error, Field string }
		json.Unmarshal(b, &e)
		if res.StatusCode != 400 || e.Field != c.field || !strings.Contains(e.Error, c.says) {
			t.Errorf("%s:\n got %d %s\nwant 400 field %q saying %q", c.body, res.StatusCode, b, c.field, c.says)
		}
	}
}

// TestTrainBodyLimitHTTP: a body beyond the other endpoints' 64 KiB but
// within TrainBytesLimit trains; a larger one is refused with the limit.
func TestTrainBodyLimitHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	var sb strings.Builder
	sb.WriteString(`{"dataset":{"points":[`)
	for i := range 5000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		x := float64(i)/2500 - 1
		sb.WriteString("[" + strconv.FormatFloat(x, 'g', 17, 64) + "," + strconv.FormatFloat(3*x+0.123456789012345, 'g', 17, 64) + "]")
	}
	sb.WriteString(`]},"model":{"kind":"linear"},"steps":2,"optimizers":[{"name":"sgd"}]}`)
	if sb.Len() <= BodyBytesLimit {
		t.Fatalf("body of %d bytes does not exceed BodyBytesLimit", sb.Len())
	}
	a := postTrain(t, srv.URL+"/api/v1/train", sb.String())
	if a.Rows != 5000 {
		t.Errorf("%d rows trained, want 5000", a.Rows)
	}
	res, b := post(t, srv.URL+"/api/v1/train", `{"dataset":{"csv":"`+strings.Repeat("1", TrainBytesLimit)+`"}}`)
	if res.StatusCode != 400 || !strings.Contains(string(b), strconv.Itoa(TrainBytesLimit)) {
		t.Errorf("oversize body: %d %s", res.StatusCode, b)
	}
}

// TestTrainCSV: one row per recorded step of every run, the columns in the
// documented order, empty cells where a row has no value.
func TestTrainCSV(t *testing.T) {
	_, srv := newServer(t, Config{})
	body := `{"dataset":{"name":"moons","n":30,"seed":2},"validation":0.2,"model":{"kind":"mlp","hidden":[3],"activation":"relu"},"init":{"seed":4},"steps":5,
		"optimizers":[{"name":"adam"},{"name":"adam","lr":0.01}]}`
	a := postTrain(t, srv.URL+"/api/v1/train", body)
	res, b := post(t, srv.URL+"/api/v1/train?format=csv", body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := append([]string{"optimizer", "step", "loss", "batch_loss", "val_loss", "accuracy", "a", "b"}, a.Names...)
	if !reflect.DeepEqual(recs[0], head) {
		t.Fatalf("header %q\nwant %q", recs[0], head)
	}
	if len(recs) != 1+2*6 {
		t.Fatalf("%d records, want 13", len(recs))
	}
	for i, rec := range recs[1:] {
		run, k := i/6, i%6
		r := a.Runs[run]
		if rec[0] != "adam #"+strconv.Itoa(run+1) || rec[1] != strconv.Itoa(k) {
			t.Fatalf("record %d starts %q", i, rec[:2])
		}
		num := func(s string) float64 {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			return v
		}
		if num(rec[2]) != r.Loss[k] || num(rec[4]) != r.ValLoss[k] || num(rec[5]) != r.Accuracy[k] || num(rec[6]) != r.Points[k][0] || num(rec[7]) != r.Points[k][1] {
			t.Fatalf("record %d %q disagrees with the JSON answer", i, rec)
		}
		if (k == 0) != (rec[3] == "") || (k > 0 && num(rec[3]) != *r.BatchLoss[k]) {
			t.Fatalf("record %d batch_loss %q", i, rec[3])
		}
		for j := range a.Names {
			if num(rec[8+j]) != r.Params[k][j] {
				t.Fatalf("record %d %s = %s, JSON %g", i, a.Names[j], rec[8+j], r.Params[k][j])
			}
		}
	}
}

// TestTrainPermalinkHTTP: the training permalink answers exactly what the
// POST of the same request does.
func TestTrainPermalinkHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	body := `{"dataset":{"name":"gaussians","n":50,"seed":5,"separation":1.5},"standardize":true,"model":{"kind":"logistic"},"init":{"seed":2},
		"batch_size":10,"epochs":3,"shuffle_seed":7,"lr":0.2,"optimizers":[{"name":"momentum"},{"name":"rmsprop","alpha":0.9}],"grid":8}`
	spec, err := runspec.DecodeTrain([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	q, err := runspec.EncodeTrainQuery(spec)
	if err != nil {
		t.Fatal(err)
	}
	_, fromPost := post(t, srv.URL+"/api/v1/train", body)
	res, fromLink := get(t, srv.URL+"/api/v1/train?"+q)
	if res.StatusCode != 200 || string(fromLink) != string(fromPost) {
		t.Fatalf("GET ?%s: %d\n%.300s\nPOST:\n%.300s", q, res.StatusCode, fromLink, fromPost)
	}
	res, b := get(t, srv.URL+"/api/v1/train?train=1&data=moons&stesp=3")
	if res.StatusCode != 400 || !strings.Contains(string(b), "did you mean steps") {
		t.Errorf("bad link: %d %s", res.StatusCode, b)
	}
}

// TestDatasets: every generator and real dataset with a preview, real
// data with source and licence, and the limits.
func TestDatasets(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, b := get(t, srv.URL+"/api/v1/datasets")
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
	var d struct {
		Generators []struct {
			Name, Task string
			DefaultN   int `json:"default_n"`
			Params     []struct{ Name string }
			Preview    [][]float64
		}
		Real []struct {
			Name, Task, Source, Licence string
			Rows                        int
			Preview                     [][]float64
		}
		Limits map[string]float64
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, g := range d.Generators {
		names[g.Name] = true
		cols := 3
		if g.Task == "regression" {
			cols = 2
		}
		if len(g.Preview) != g.DefaultN || len(g.Preview[0]) != cols {
			t.Errorf("%s: preview %d rows of %d, want %d of %d", g.Name, len(g.Preview), len(g.Preview[0]), g.DefaultN, cols)
		}
	}
	for _, n := range []string{"moons", "circles", "xor", "gaussians", "spiral", "line", "sine"} {
		if !names[n] {
			t.Errorf("generator %s missing", n)
		}
	}
	if len(d.Real) < 2 {
		t.Fatalf("%d real datasets", len(d.Real))
	}
	for _, r := range d.Real {
		if r.Source == "" || r.Licence == "" || len(r.Preview) != min(r.Rows, DatasetPreviewRows) {
			t.Errorf("%s: source %q licence %q preview %d of %d rows", r.Name, r.Source, r.Licence, len(r.Preview), r.Rows)
		}
	}
	if d.Limits["max_rows"] != 10000 || d.Limits["max_grid"] != 256 || d.Limits["train_bytes"] != TrainBytesLimit {
		t.Errorf("limits %v", d.Limits)
	}
}

// trainStream is what a websocket train job sent, reassembled.
type trainStream struct {
	start     map[string]json.RawMessage
	rows      map[int][][]*float64 // run -> rows of the columns then the parameters
	landscape []float64
	nx, ny    int
	done      map[string]json.RawMessage
	progress  int
}

// readTrainStream reads a train job's messages until train_done, decoding
// binary frames by the layout of docs/DESIGN.md.
func readTrainStream(t *testing.T, c *websocket.Conn) trainStream {
	t.Helper()
	st := trainStream{rows: map[int][][]*float64{}}
	width := 0
	for {
		kind, data := readMessage(t, c)
		if kind == websocket.BinaryMessage {
			le := binary.LittleEndian
			typ, idLen := data[0], int(le.Uint16(data[2:]))
			a, b, n := int(le.Uint32(data[4:])), int(le.Uint32(data[8:])), int(le.Uint32(data[12:]))
			body := data[16+(idLen+7)/8*8:]
			f := func(i int) float64 { return math.Float64frombits(le.Uint64(body[8*i:])) }
			switch typ {
			case 3:
				if len(body) != 8*width*n || len(st.rows[a]) != b {
					t.Fatalf("rows frame run %d from %d count %d: %d bytes, %d rows so far", a, b, n, len(body), len(st.rows[a]))
				}
				for k := range n {
					row := make([]*float64, width)
					for j := range width {
						if v := f(k*width + j); !math.IsNaN(v) {
							row[j] = &v
						}
					}
					st.rows[a] = append(st.rows[a], row)
				}
			case 4:
				st.nx, st.ny = a, b
				for i := range 4 + a*b {
					st.landscape = append(st.landscape, f(i))
				}
			default:
				t.Fatalf("frame type %d", typ)
			}
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		var typ string
		json.Unmarshal(m["type"], &typ)
		switch typ {
		case "train_progress":
			st.progress++
		case "train_start":
			st.start = m
			var cols, names []string
			json.Unmarshal(m["columns"], &cols)
			json.Unmarshal(m["names"], &names)
			width = len(cols) + len(names)
		case "train_rows":
			var r struct {
				Run, From int
				Rows      [][]*float64
			}
			json.Unmarshal(data, &r)
			if len(st.rows[r.Run]) != r.From {
				t.Fatalf("train_rows run %d from %d after %d rows", r.Run, r.From, len(st.rows[r.Run]))
			}
			st.rows[r.Run] = append(st.rows[r.Run], r.Rows...)
		case "train_landscape":
			var g struct {
				Box    []float64
				NX, NY int
				Values []float64
			}
			json.Unmarshal(data, &g)
			st.nx, st.ny, st.landscape = g.NX, g.NY, append(g.Box, g.Values...)
		case "train_done":
			st.done = m
			return st
		default:
			t.Fatalf("unexpected message %s", data)
		}
	}
}

// TestTrainWS streams a training request in both encodings over a real
// websocket: the rows match the REST answer value for value.
func TestTrainWS(t *testing.T) {
	_, srv := newServer(t, Config{})
	spec := `{"dataset":{"name":"xor","n":40,"seed":1},"validation":0.25,"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"init":{"seed":3},
		"steps":30,"batch_size":8,"optimizers":[{"name":"sgd"},{"name":"adam"}],"slice":{"kind":"random","seed":5},"grid":6}`
	a := postTrain(t, srv.URL+"/api/v1/train", spec)
	c := dial(t, srv, nil)
	for _, enc := range []string{"", `,"encoding":"json"`} {
		send(t, c, `{"type":"train","id":"t1","spec":`+spec+enc+`}`)
		st := readTrainStream(t, c)
		if len(st.rows) != 2 || st.nx != 6 || st.ny != 6 || len(st.landscape) != 4+36 {
			t.Fatalf("encoding %q: %d runs, landscape %dx%d (%d values)", enc, len(st.rows), st.nx, st.ny, len(st.landscape))
		}
		for run, rows := range st.rows {
			r := a.Runs[run]
			if len(rows) != len(r.Loss) {
				t.Fatalf("run %d: %d rows, REST %d", run, len(rows), len(r.Loss))
			}
			for k, row := range rows {
				want := []*float64{&r.Loss[k], r.BatchLoss[k], &r.ValLoss[k], &r.Accuracy[k], &r.Points[k][0], &r.Points[k][1]}
				for j, w := range want {
					if (w == nil) != (row[j] == nil) || (w != nil && *w != *row[j]) {
						t.Fatalf("encoding %q run %d row %d column %d differs from REST", enc, run, k, j)
					}
				}
				if row[6] == nil {
					t.Fatalf("row %d has no distance on a random slice", k)
				}
				for j, p := range r.Params[k] {
					if *row[7+j] != p {
						t.Fatalf("run %d row %d %s: %g, REST %g", run, k, a.Names[j], *row[7+j], p)
					}
				}
			}
		}
		for i, v := range a.Landscape.Values {
			if *v != st.landscape[4+i] {
				t.Fatalf("landscape value %d: %g, REST %g", i, st.landscape[4+i], *v)
			}
		}
	}
}

// TestTrainWSProgressAndCancel: a long job waiting for a heavy-job slot is
// in flight and can be cancelled; once slots are free a long job reports
// progress before its rows.
func TestTrainWSProgressAndCancel(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	spec := `{"dataset":{"name":"moons","n":100},"model":{"kind":"mlp","hidden":[2],"activation":"tanh"},"batch_size":100,"steps":3000,"optimizers":[{"name":"sgd"}]}`
	release := fillSlots(h.heavy)
	send(t, c, `{"type":"train","id":"long","spec":`+spec+`}`)
	send(t, c, `{"type":"cancel","id":"long"}`)
	f := read(t, c)
	release()
	if f.Type != "cancelled" || f.ID != "long" {
		t.Fatalf("got %s, want cancelled", f.Raw)
	}
	send(t, c, `{"type":"train","id":"again","spec":`+spec+`}`)
	st := readTrainStream(t, c)
	if st.progress == 0 {
		t.Errorf("no train_progress for %d steps", 3000)
	}
	if len(st.rows[0]) != 3001 {
		t.Errorf("%d rows, want 3001", len(st.rows[0]))
	}
}

// TestTrainWSLargeMessage: a train message carrying data beyond the other
// messages' 64 KiB is read and trained.
func TestTrainWSLargeMessage(t *testing.T) {
	_, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	var sb strings.Builder
	sb.WriteString(`{"type":"train","id":"big","encoding":"json","spec":{"dataset":{"points":[`)
	for i := range 4000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		x := float64(i)/2000 - 1
		sb.WriteString("[" + strconv.FormatFloat(x, 'g', 17, 64) + "," + strconv.FormatFloat(0.5-x*0.987654321, 'g', 17, 64) + "]")
	}
	sb.WriteString(`]},"model":{"kind":"linear"},"steps":3,"optimizers":[{"name":"sgd"}]}}`)
	if sb.Len() <= BodyBytesLimit {
		t.Fatalf("message of %d bytes does not exceed BodyBytesLimit", sb.Len())
	}
	send(t, c, sb.String())
	st := readTrainStream(t, c)
	var rows int
	json.Unmarshal(st.start["rows"], &rows)
	if rows != 4000 || len(st.rows[0]) != 4 {
		t.Errorf("%d training rows, %d recorded rows; want 4000 and 4", rows, len(st.rows[0]))
	}
}

// TestTrainWSErrors: a bad request is an error naming the field; a
// message other than train beyond BodyBytesLimit is refused in words.
func TestTrainWSErrors(t *testing.T) {
	_, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	send(t, c, `{"type":"train","id":"bad","spec":{"dataset":{"name":"moons"},"model":{"kind":"mlp","hidden":[0],"activation":"tanh"},"optimizers":[{"name":"sgd"}]}}`)
	f := read(t, c)
	if f.Type != "error" || f.Field != "model.hidden[0]" {
		t.Errorf("got %s", f.Raw)
	}
	send(t, c, `{"type":"run","id":"big","spec":{"expr":"`+strings.Repeat("x", BodyBytesLimit)+`"}}`)
	f = read(t, c)
	if f.Type != "error" || !strings.Contains(string(f.Raw), strconv.Itoa(BodyBytesLimit)) {
		t.Errorf("got %.200s", f.Raw)
	}
}
