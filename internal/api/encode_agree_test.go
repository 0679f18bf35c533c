package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// The hot paths (point batches, basin rows, done) keep hand-written
// encoders for speed. These tests write the same values with
// encoding/json and require both documents to hold the same members in the
// same order with the same values (numbers compared as float64: the
// encoders may spell a number differently, 1e+06 for 1000000, but never
// change it).

// tokens reads a JSON document as its token sequence, numbers as float64.
func tokens(t *testing.T, doc []byte) []any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var out []any
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if n, ok := tok.(json.Number); ok {
			f, err := n.Float64()
			if err != nil {
				t.Fatalf("number %s: %v", n, err)
			}
			tok = f
		}
		out = append(out, tok)
	}
}

func agree(t *testing.T, name string, hand []byte, std any) {
	t.Helper()
	want, err := json.Marshal(std)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tokens(t, hand), tokens(t, want)) {
		t.Errorf("%s: hand-written\n%s\nencoding/json\n%s", name, hand, want)
	}
}

// members is a JSON object that keeps its members in order, each value
// written by encoding/json.
type members []struct {
	k string
	v any
}

func (m members) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, kv := range m {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(kv.k)
		v, err := json.Marshal(kv.v)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

func (m members) with(k string, v any) members {
	return append(m, struct {
		k string
		v any
	}{k, v})
}

// awkwardIDs are request ids that need escaping, or not, in JSON.
var awkwardIDs = []string{"r1", `q"uote\back`, "<b>&amp;", "tab\tnl\ncr\rdel\x7f", "\u2028\u2029 é 漢", "bad\xffutf8"}

// awkwardFloats spell differently in Go's 'g' form and encoding/json's.
var awkwardFloats = []float64{0, math.Copysign(0, -1), 1, -1.5, 1e6, 1.5e-7, 1e-7, 1e21, 123456789.125, 5e-324, math.MaxFloat64, 0.1 + 0.2}

func TestPointsMessageAgreesWithEncodingJSON(t *testing.T) {
	var pts []optim.Point
	for i, v := range awkwardFloats {
		pts = append(pts, optim.Point{X: v, Y: -v, Loss: awkwardFloats[(i+3)%len(awkwardFloats)]})
	}
	for _, id := range awkwardIDs {
		hand, err := appendPointsMessage(nil, id, 2, 1024, pts)
		if err != nil {
			t.Fatal(err)
		}
		rows := make([][3]float64, len(pts))
		for i, p := range pts {
			rows[i] = [3]float64{p.X, p.Y, p.Loss}
		}
		agree(t, "points "+id, hand, members{}.with("type", "points").with("id", id).with("run", 2).with("from", 1024).with("points", rows))
	}
}

func TestBasinRowMessageAgreesWithEncodingJSON(t *testing.T) {
	var cells []basin.Cell
	for i, v := range awkwardFloats {
		cells = append(cells, basin.Cell{End: landscape.Vec{X: v, Y: -v}, Status: optim.Status(i % 4), Step: int32(i * 7), Reached: int32(i%3 - 1)})
	}
	for _, id := range awkwardIDs {
		hand, err := appendBasinRowMessage(nil, id, 5, 6, cells)
		if err != nil {
			t.Fatal(err)
		}
		rows := make([][5]float64, len(cells))
		for i, c := range cells {
			rows[i] = [5]float64{float64(c.Reached), float64(c.Status), float64(c.Step), c.End.X, c.End.Y}
		}
		agree(t, "basin_row "+id, hand, members{}.with("type", "basin_row").with("id", id).with("row", 5).with("done", 6).with("cells", rows))
	}
}

// resolvedMembers is a resolved optimizer as encoding/json writes it:
// name, display, then every parameter in declared order.
func resolvedMembers(o *runspec.Resolved) members {
	m := members{}.with("name", o.Info.Name).with("display", o.Display)
	for _, p := range o.Info.Params {
		v := o.Values[p.Name]
		switch p.Kind {
		case optim.Bool:
			m = m.with(p.Name, v[0] != 0)
		case optim.Pair:
			m = m.with(p.Name, v)
		default:
			m = m.with(p.Name, v[0])
		}
	}
	return m
}

// outcomeMembers is a run's outcome as encoding/json writes it.
func outcomeMembers(o optim.Outcome) members {
	m := members{}.with("status", o.Status.String()).with("step", o.Step)
	if c := o.Reached; c != nil {
		rc := members{}.with("kind", c.Kind.String()).with("x", c.At.X).with("y", c.At.Y).with("value", c.Value)
		if c.Kind == landscape.Minimum {
			rc = rc.with("global", c.Global)
		}
		m = m.with("reached", rc)
	}
	return m
}

// agreeRuns computes a plan with a schedule and a run that reaches a
// minimum, for the encoders of whole runs.
func agreeRuns(t *testing.T) (*runspec.Plan, []runspec.Result) {
	t.Helper()
	spec, err := runspec.Decode([]byte(`{"function":"himmelblau","steps":1500,"schedule":{"name":"steplr","step_size":1000,"gamma":0.5},
		"optimizers":[{"name":"adam","lr":0.05,"betas":[0.9,0.999]},{"name":"momentum","nesterov":true},{"name":"sgd","lr":1e-7}]}`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := runspec.NewResolver().Resolve(t.Context(), spec)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := runspec.Compute(t.Context(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Outcome.Reached == nil {
		t.Fatal("the test wants a run that reached a point")
	}
	return plan, rs
}

func TestDoneMessageAgreesWithEncodingJSON(t *testing.T) {
	plan, rs := agreeRuns(t)
	var outcomes, opts []members
	for _, r := range rs {
		outcomes = append(outcomes, outcomeMembers(r.Outcome))
		opts = append(opts, resolvedMembers(r.Optimizer))
	}
	for _, id := range awkwardIDs {
		m := doneMsg(id, plan.Schedule, rs)
		agree(t, "done "+id, *m.data, members{}.with("type", "done").with("id", id).with("outcomes", outcomes).
			with("optimizers", opts).with("schedule", resolvedMembers(plan.Schedule)))
		putMsg(m.data)
	}
}

func TestRunsAnswerAgreesWithEncodingJSON(t *testing.T) {
	plan, rs := agreeRuns(t)
	var runs []members
	for _, r := range rs {
		pts := make([][3]float64, len(r.Points))
		for i, p := range r.Points {
			pts[i] = [3]float64{p.X, p.Y, p.Loss}
		}
		runs = append(runs, members{}.with("optimizer", resolvedMembers(r.Optimizer)).with("points", pts).with("outcome", outcomeMembers(r.Outcome)))
	}
	hand, err := appendRunsJSON(nil, plan.Schedule, rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	agree(t, "runs", hand, members{}.with("schedule", resolvedMembers(plan.Schedule)).with("runs", runs))
}
