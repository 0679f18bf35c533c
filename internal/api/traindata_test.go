package api

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/basin-dev/basin/internal/data"
)

// trainData is the answer's "data" member.
type trainData struct {
	Columns        []string    `json:"columns"`
	Rows           [][]float64 `json:"rows"`
	ValidationRows [][]float64 `json:"validation_rows"`
}

// rowKeys are rows as exact strings, sorted, to compare two sets of rows
// whatever their order.
func rowKeys(rows [][]float64) []string {
	k := make([]string, len(rows))
	for i, r := range rows {
		k[i] = fmt.Sprint(r)
	}
	sort.Strings(k)
	return k
}

// TestTrainDataHTTP: the answer carries the rows trained on and held out,
// standardized when asked; together they are the generator's dataset
// (drawn here independently), scaled by the answer's own scaling.
func TestTrainDataHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	cases := []struct {
		name, body string
		gen        data.Generated
		std        bool
		val        int
	}{
		{"moons standardized split", `{"dataset":{"name":"moons","n":50,"noise":0.2,"seed":7},"standardize":true,"validation":0.2,"model":{"kind":"logistic"},"init":{"seed":1},"steps":2,"optimizers":[{"name":"sgd"}]}`,
			data.Generated{Name: "moons", N: ptr(50), Noise: fptr(0.2), Seed: 7}, true, 10},
		{"line raw", `{"dataset":{"name":"line","n":23,"seed":2},"model":{"kind":"linear"},"init":{"seed":1},"steps":2,"optimizers":[{"name":"sgd"}]}`,
			data.Generated{Name: "line", N: ptr(23), Seed: 2}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, b := post(t, srv.URL+"/api/v1/train", c.body)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, b)
			}
			var a struct {
				Task    string
				Rows    int
				ValRows int `json:"val_rows"`
				Scaling *struct{ Mean, Std []float64 }
				Data    *trainData
			}
			if err := json.Unmarshal(b, &a); err != nil {
				t.Fatal(err)
			}
			d := a.Data
			if d == nil || len(d.Rows) != a.Rows || len(d.ValidationRows) != a.ValRows || a.ValRows != c.val {
				t.Fatalf("data %+v: want %d rows and %d validation rows", d, a.Rows, c.val)
			}
			if c.val == 0 && d.ValidationRows != nil {
				t.Errorf("validation_rows present without a split")
			}
			set, err := data.Generate(c.gen)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Columns) != len(set.Columns) {
				t.Fatalf("columns %v, generator %v", d.Columns, set.Columns)
			}
			if (a.Scaling != nil) != c.std {
				t.Fatalf("scaling %v, standardize %v", a.Scaling, c.std)
			}
			if c.std {
				set.Standardize()
			}
			want := make([][]float64, set.Rows())
			for i := range want {
				want[i] = append(append([]float64{}, set.Row(i)...), set.Y[i])
			}
			got := rowKeys(append(append([][]float64{}, d.Rows...), d.ValidationRows...))
			if w := rowKeys(want); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Fatalf("rows differ from the generator's:\n got %.200v\nwant %.200v", got, w)
			}
			if c.std { // every feature of all rows: mean 0, std 1
				f := len(d.Columns) - 1
				for j := range f {
					var s, s2 float64
					for _, r := range want {
						s += r[j]
						s2 += r[j] * r[j]
					}
					n := float64(len(want))
					if m, v := s/n, s2/n-(s/n)*(s/n); math.Abs(m) > 1e-12 || math.Abs(v-1) > 0.05 {
						t.Errorf("feature %d: mean %g, variance %g", j, m, v)
					}
				}
			}
		})
	}
}

// TestTrainDataAndEndsWS: train_start carries the same data as the REST
// answer, in both encodings; a minibatch run that settles reports its
// ends in the REST run and in train_done.
func TestTrainDataAndEndsWS(t *testing.T) {
	_, srv := newServer(t, Config{})
	spec := `{"dataset":{"name":"line","n":64,"seed":5,"slope":1.5,"intercept":-0.5,"noise":0.5},"model":{"kind":"linear"},"init":{"params":[-2,2]},
		"steps":2000,"batch_size":32,"shuffle_seed":7,"lr":0.05,"optimizers":[{"name":"sgd"}]}`
	res, b := post(t, srv.URL+"/api/v1/train", spec)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	var a struct {
		Data trainData
		Runs []struct {
			Outcome struct{ Status string }
			Ends    [][]float64
		}
		Names []string
	}
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Data.Rows) != 64 || a.Data.ValidationRows != nil {
		t.Fatalf("%d rows, %d validation rows", len(a.Data.Rows), len(a.Data.ValidationRows))
	}
	ends := a.Runs[0].Ends
	if len(ends) == 0 {
		t.Fatalf("status %s and no ends: the example should settle", a.Runs[0].Outcome.Status)
	}
	if st := a.Runs[0].Outcome.Status; (st == "converged" || st == "wandering") != (len(ends) > 0) {
		t.Fatalf("status %s with %d ends", st, len(ends))
	}
	for _, e := range ends {
		if len(e) != len(a.Names) {
			t.Fatalf("an end has %d parameters, names %d", len(e), len(a.Names))
		}
	}
	c := dial(t, srv, nil)
	for _, enc := range []string{"", `,"encoding":"json"`} {
		send(t, c, `{"type":"train","id":"t1","spec":`+spec+enc+`}`)
		st := readTrainStream(t, c)
		var d trainData
		if err := json.Unmarshal(st.start["data"], &d); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(d) != fmt.Sprint(a.Data) {
			t.Fatalf("encoding %q: train_start data differs from REST", enc)
		}
		var wsEnds [][][]float64
		if err := json.Unmarshal(st.done["ends"], &wsEnds); err != nil || len(wsEnds) != 1 {
			t.Fatalf("train_done ends %s: %v", st.done["ends"], err)
		}
		if fmt.Sprint(wsEnds[0]) != fmt.Sprint(ends) {
			t.Fatalf("train_done ends %v, REST %v", wsEnds[0], ends)
		}
	}
}

func ptr(n int) *int          { return &n }
func fptr(x float64) *float64 { return &x }
