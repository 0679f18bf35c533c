package runspec

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/cost"
)

// trainExamples are the project's three visible training examples
// (../../testdata/train-examples.json, see testdata/README.md): exact
// request bodies and what PyTorch 1.13 computes for them in float64.
type trainExample struct {
	ID       string          `json:"id"`
	Request  json.RawMessage `json:"request"`
	Expected struct {
		Params [][]float64 `json:"params"`
		Loss   []float64   `json:"loss"`
	} `json:"expected"`
}

func readTrainExamples(t testing.TB) []trainExample {
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

// TestTrainExamples decodes each example's request as a client sends it
// and trains it: every parameter and loss matches PyTorch to 1e-9.
func TestTrainExamples(t *testing.T) {
	for _, c := range readTrainExamples(t) {
		t.Run(c.ID, func(t *testing.T) {
			s, err := DecodeTrain(c.Request)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Train(context.Background(), s, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Runs[0]
			np := len(res.Names)
			if r.Rows() != len(c.Expected.Params) {
				t.Fatalf("%d rows, PyTorch %d", r.Rows(), len(c.Expected.Params))
			}
			for k, row := range c.Expected.Params {
				for j, w := range row {
					if g := r.Params[k*np+j]; math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
						t.Fatalf("row %d %s: %.17g, PyTorch %.17g", k, res.Names[j], g, w)
					}
				}
				if g, w := r.Loss[k], c.Expected.Loss[k]; math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
					t.Fatalf("row %d loss: %.17g, PyTorch %.17g", k, g, w)
				}
			}
		})
	}
}

// TestTrainErrors lists bad requests with the field each error must name
// and words it must say: type errors from the decoder, ranges from the
// engine, both as *Error.
func TestTrainErrors(t *testing.T) {
	const ok = `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"adam"}],"steps":3`
	const moons = `"dataset":{"name":"moons","n":20},`
	cases := []struct {
		name, body, field, says string
	}{
		{"not json", `{"dataset":`, "", "malformed JSON"},
		{"not an object", `[1]`, "", "must be a JSON object"},
		{"unknown field", `{` + moons + ok + `,"stpes":3}`, "stpes", "did you mean steps"},
		{"duplicate field", `{` + moons + ok + `,"steps":4}`, "steps", "duplicate"},
		{"unknown dataset field", `{"dataset":{"points":[[1,2],[3,4]],"nosie":1},` + ok + `}`, "dataset.nosie", "did you mean noise"},
		{"point not a number", `{"dataset":{"points":[[1,2],[3,"a"]]},` + ok + `}`, "dataset.points[1][1]", "row 1, column 2"},
		{"point NaN as Python writes it", `{"dataset":{"points":[[1,2],[3,4],[5,NaN]]},` + ok + `}`, "dataset.points[2][1]", "row 2, column 2"},
		{"point Infinity", `{"dataset":{"points":[[1,-Infinity],[3,4]]},` + ok + `}`, "dataset.points[0][1]", "finite number"},
		{"NaN elsewhere", `{"dataset":{"name":"moons"},"lr":NaN,` + ok + `}`, "lr", "finite number"},
		{"point overflows", `{"dataset":{"points":[[1,2],[3,1e999]]},` + ok + `}`, "dataset.points[1][1]", "finite number"},
		{"row not an array", `{"dataset":{"points":[[1,2],3]},` + ok + `}`, "dataset.points[1]", "must be a row"},
		{"row too long", `{"dataset":{"points":[[1,2,3,4]]},` + ok + `}`, "dataset.points[0]", "must be a row"},
		{"ragged rows", `{"dataset":{"points":[[1,2],[3,4,1]]},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}]}`, "dataset.points[1]", "must have 2 values"},
		{"label", `{"dataset":{"points":[[1,2,0],[3,4,2]]},"model":{"kind":"logistic"},"optimizers":[{"name":"sgd"}]}`, "dataset.points[1][2]", "0 or 1"},
		{"too few rows", `{"dataset":{"points":[[1,2]]},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}]}`, "dataset.points", "2 to 10000 rows"},
		{"n range", `{"dataset":{"name":"moons","n":5},` + ok + `}`, "dataset.n", "[10, 2000]"},
		{"noise range", `{"dataset":{"name":"moons","noise":-1},` + ok + `}`, "dataset.noise", "[0, 10]"},
		{"generator setting", `{"dataset":{"name":"gaussians","separation":99},` + ok + `}`, "dataset.separation", "[0, 20]"},
		{"setting of another generator", `{"dataset":{"name":"moons","separation":1},` + ok + `}`, "dataset.separation", "unknown field"},
		{"unknown dataset", `{"dataset":{"name":"mons"},` + ok + `}`, "dataset.name", "unknown dataset"},
		{"real data take no n", `{"dataset":{"name":"penguins","n":30},` + ok + `}`, "dataset", "real data"},
		{"seed negative", `{"dataset":{"name":"moons","seed":-1},` + ok + `}`, "dataset.seed", "[0, 9007199254740991]"},
		{"seed not integer", `{"dataset":{"name":"moons","seed":1.5},` + ok + `}`, "dataset.seed", "integer"},
		{"standardize type", `{` + moons + ok + `,"standardize":1}`, "standardize", "true or false"},
		{"validation range", `{` + moons + ok + `,"validation":0.9}`, "validation", "0.5"},
		{"model kind", `{` + moons + `"model":{"kind":"cnn"},"optimizers":[{"name":"sgd"}]}`, "model.kind", "linear, logistic or mlp"},
		{"model for data", `{` + moons + `"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}]}`, "model.kind", "regression"},
		{"hidden range", `{` + moons + `"model":{"kind":"mlp","hidden":[4,40],"activation":"tanh"},"optimizers":[{"name":"sgd"}]}`, "model.hidden[1]", "[1, 32]"},
		{"hidden layers", `{` + moons + `"model":{"kind":"mlp","hidden":[4,4,4,4],"activation":"tanh"},"optimizers":[{"name":"sgd"}]}`, "model.hidden", "1 to 3"},
		{"hidden not integer", `{` + moons + `"model":{"kind":"mlp","hidden":[4.5],"activation":"tanh"},"optimizers":[{"name":"sgd"}]}`, "model.hidden[0]", "integer"},
		{"activation", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"gelu"},"optimizers":[{"name":"sgd"}]}`, "model.activation", "tanh, relu or sigmoid"},
		{"init both", `{` + moons + ok + `,"init":{"seed":1,"params":[1]}}`, "init", "not both"},
		{"init params count", `{"dataset":{"points":[[1,2],[3,4]]},"model":{"kind":"linear"},"init":{"params":[1]},"optimizers":[{"name":"sgd"}]}`, "init.params", "2 values"},
		{"init params value", `{"dataset":{"points":[[1,2],[3,4]]},"model":{"kind":"linear"},"init":{"params":[1,"x"]},"optimizers":[{"name":"sgd"}]}`, "init.params[1]", "finite number"},
		{"batches with steps", `{"dataset":{"points":[[1,2],[3,4]]},"model":{"kind":"linear"},"batches":[[0]],"steps":1,"optimizers":[{"name":"sgd"}]}`, "steps", "absent"},
		{"empty batch", `{"dataset":{"points":[[1,2],[3,4]]},"model":{"kind":"linear"},"batches":[[0],[]],"optimizers":[{"name":"sgd"}]}`, "batches[1]", "empty"},
		{"batch index", `{"dataset":{"points":[[1,2],[3,4]]},"model":{"kind":"linear"},"batches":[[0,2]],"optimizers":[{"name":"sgd"}]}`, "batches[0][1]", "[0, 1]"},
		{"batch index type", `{"dataset":{"points":[[1,2],[3,4]]},"model":{"kind":"linear"},"batches":[[0,"a"]],"optimizers":[{"name":"sgd"}]}`, "batches[0][1]", "row index"},
		{"batch size", `{` + moons + ok + `,"batch_size":21}`, "batch_size", "[1, 20]"},
		{"steps range", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"adam"}],"steps":100001}`, "steps", "[0, "},
		{"steps and epochs", `{` + moons + ok + `,"epochs":2}`, "steps", "exclusive"},
		{"epochs range", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"adam"}],"epochs":0}`, "epochs", "[1, 10000]"},
		{"no optimizers", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"}}`, "optimizers", "1 to 8"},
		{"unknown optimizer", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"adma"}]}`, "optimizers[0].name", "did you mean adam"},
		{"optimizer range", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"sgd"},{"name":"adam","lr":-1}]}`, "optimizers[1].lr", "> 0"},
		{"optimizer kind", `{` + moons + `"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"adam","betas":0.9}]}`, "optimizers[0].betas", "pair"},
		{"lr", `{` + moons + ok + `,"lr":0}`, "lr", "> 0"},
		{"schedule", `{` + moons + ok + `,"schedule":{"name":"stpe"}}`, "schedule.name", "unknown schedule"},
		{"clip", `{` + moons + ok + `,"clip_norm":-1}`, "clip_norm", ">= 0"},
		{"slice kind", `{` + moons + ok + `,"slice":{"kind":"params"}}`, "slice.kind", "pca or random"},
		{"slice optimizer", `{` + moons + ok + `,"slice":{"optimizer":1}}`, "slice.optimizer", "[0, 0]"},
		{"slice field", `{` + moons + ok + `,"slice":{"kind":"pca","sead":1}}`, "slice.sead", "did you mean seed"},
		{"grid", `{` + moons + ok + `,"grid":257}`, "grid", "[2, 256]"},
		{"grid one", `{` + moons + ok + `,"grid":1}`, "grid", "[2, 256]"},
		{"box without grid", `{` + moons + ok + `,"box":[0,1,0,1]}`, "box", "give grid too"},
		{"box order", `{` + moons + ok + `,"grid":4,"box":[0,1,1,0]}`, "box", "min < max"},
		{"box length", `{` + moons + ok + `,"grid":4,"box":[0,1,0]}`, "box", "4 numbers"},
		{"box value", `{` + moons + ok + `,"grid":4,"box":[0,1,"a",1]}`, "box", "4 numbers"},
		{"box range", `{` + moons + ok + `,"grid":4,"box":[-1e7,1,0,1]}`, "box[0]", "|v| <= 1000000"},
		{"model field", `{` + moons + `"model":{"kind":"mlp","hiden":[4]},"optimizers":[{"name":"adam"}]}`, "model.hiden", "did you mean hidden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := DecodeTrain([]byte(c.body))
			if err == nil {
				_, err = Train(context.Background(), s, nil)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want an *Error", err, err)
			}
			if e.Field != c.field || !strings.Contains(e.Msg, c.says) {
				t.Errorf("got field %q: %s\nwant field %q saying %q", e.Field, e.Msg, c.field, c.says)
			}
			if c.field != "" && !strings.HasPrefix(e.Msg, c.field) && !strings.Contains(e.Msg, `"`+c.field+`"`) {
				t.Errorf("message %q does not name %s", e.Msg, c.field)
			}
		})
	}
}

// TestTrainBodyLimit refuses a request beyond TrainBytesLimit before
// reading it.
func TestTrainBodyLimit(t *testing.T) {
	_, err := DecodeTrain(make([]byte, TrainBytesLimit+1))
	if err == nil || !strings.Contains(err.Error(), "4194304 bytes") {
		t.Fatalf("got %v", err)
	}
}

// trainLinkCases are training requests and the permalinks they make.
// trainLinkVectors are the training permalink's test vectors, shared with
// the page's tests (testdata/train-permalink-vectors.json).
type trainLinkVectors struct {
	Canonical []struct {
		Name  string
		Query string
		Spec  json.RawMessage
	}
	Invalid []struct{ Query, Field, Says string }
}

func readTrainLinkVectors(t testing.TB) trainLinkVectors {
	t.Helper()
	raw, err := os.ReadFile("testdata/train-permalink-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v trainLinkVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Canonical) == 0 || len(v.Invalid) == 0 {
		t.Fatal("no training permalink vectors")
	}
	return v
}

// TestTrainPermalink writes each request as a link, checks the link's
// text, and reads it back to the same spec.
func TestTrainPermalink(t *testing.T) {
	for _, c := range readTrainLinkVectors(t).Canonical {
		s, err := DecodeTrain(c.Spec)
		if err != nil {
			t.Fatal(err)
		}
		q, err := EncodeTrainQuery(s)
		if err != nil {
			t.Fatal(err)
		}
		if q != c.Query {
			t.Errorf("%s: link\n got %s\nwant %s", c.Name, q, c.Query)
		}
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeTrainQuery(vals)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Errorf("%s read back as\n%+v\nwant\n%+v", q, back, s)
		}
	}
}

func TestTrainPermalinkErrors(t *testing.T) {
	for _, c := range readTrainLinkVectors(t).Invalid {
		vals, _ := url.ParseQuery(c.Query)
		_, err := DecodeTrainQuery(vals)
		var e *Error
		if !errors.As(err, &e) || e.Field != c.Field || !strings.Contains(e.Msg, c.Says) {
			t.Errorf("%s: got %v, want field %q saying %q", c.Query, err, c.Field, c.Says)
		}
	}
	big := TrainSpec{Init: TrainInit{Params: make([]float64, PermalinkDataLimit+1)}}
	if _, err := EncodeTrainQuery(big); !errors.Is(err, ErrTooLargeForLink) {
		t.Errorf("%d parameters: got %v, want ErrTooLargeForLink", PermalinkDataLimit+1, err)
	}
	if _, err := EncodeTrainQuery(TrainSpec{Dataset: TrainDataset{CSV: "1,2\n3,4\n"}}); !errors.Is(err, ErrTooLargeForLink) {
		t.Errorf("CSV: got %v, want ErrTooLargeForLink", err)
	}
}

// FuzzDecodeTrain: decoding never panics; a request that decodes and fits
// a link reads back from its link as the same spec.
func FuzzDecodeTrain(f *testing.F) {
	for _, c := range readTrainLinkVectors(f).Canonical {
		f.Add([]byte(c.Spec))
	}
	f.Add([]byte(`{"dataset":{"points":[[1,2,0],[3,"x",1]]}}`))
	f.Add([]byte(`{"dataset":{"name":"moons","separation":1e999}}`))
	f.Add([]byte(`{"batches":[[1,2],[],[-1]],"slice":{"optimizer":-3}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := DecodeTrain(raw)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		q, err := EncodeTrainQuery(s)
		if err != nil {
			return
		}
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		back, err := DecodeTrainQuery(vals)
		if err != nil {
			t.Fatalf("%s does not read back: %v", q, err)
		}
		if !reflect.DeepEqual(back, withoutEmptyLists(s)) {
			t.Fatalf("%s read back as\n%+v\nwant\n%+v", q, back, s)
		}
	})
}

// withoutEmptyLists is s with its empty lists (other than batches, where
// [] means no steps) left out: a link writes nothing for them, and each is
// refused the same way given empty or not given.
func withoutEmptyLists(s TrainSpec) TrainSpec {
	if len(s.Optimizers) == 0 {
		s.Optimizers = nil
	}
	if len(s.Dataset.Points) == 0 {
		s.Dataset.Points = nil
	}
	if len(s.Dataset.Params) == 0 {
		s.Dataset.Params = nil
	}
	if len(s.Model.Hidden) == 0 {
		s.Model.Hidden = nil
	}
	if len(s.Init.Params) == 0 {
		s.Init.Params = nil
	}
	return s
}

// TestTrainSize sizes requests as the engine resolves them, so pricing
// sees the steps and rows that will run.
func TestTrainSize(t *testing.T) {
	cases := []struct {
		body string
		want cost.TrainSize
	}{
		{`{"dataset":{"name":"moons","n":100},"validation":0.2,"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"batch_size":30,"epochs":5,"optimizers":[{"name":"sgd"},{"name":"adam"}],"grid":16}`,
			cost.TrainSize{Runs: 2, Steps: 5 * 3, Batch: 30, Rows: 80, ValRows: 20, Params: 4*2 + 4 + 4 + 1, Grid: 16}},
		{`{"dataset":{"name":"faithful"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}]}`,
			cost.TrainSize{Runs: 1, Steps: 20, Batch: 272, Rows: 272, Params: 2}},
		{`{"dataset":{"points":[[1,2],[3,4],[5,6]]},"model":{"kind":"linear"},"batches":[[0,1],[2],[0,1,2]],"optimizers":[{"name":"sgd"}]}`,
			cost.TrainSize{Runs: 1, Steps: 3, Batch: 2, Rows: 3, Params: 2}},
		{`{"dataset":{"name":"nosuch"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}]}`, cost.TrainSize{}},
	}
	for _, c := range cases {
		s, err := DecodeTrain([]byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if got := TrainSize(s); got != c.want {
			t.Errorf("%s\n got %+v\nwant %+v", c.body, got, c.want)
		}
	}
}
