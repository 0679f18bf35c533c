package lessons_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/lessons"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

var update = flag.Bool("update", false, "rewrite web/js/model/lessons.json from lessons.TrainExamples")

// nearby are the learning-rate factors every story must survive.
var nearby = []float64{0.8, 1, 1.25}

// trainQuery trains a training permalink exactly as the server does, with
// its learning rate scaled by factor.
func trainQuery(t *testing.T, q string, factor float64) *runspec.TrainResult {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	lr, err := strconv.ParseFloat(v.Get("lr"), 64)
	if err != nil {
		t.Fatalf("%s: lr: %v", q, err)
	}
	v.Set("lr", strconv.FormatFloat(lr*factor, 'g', -1, 64))
	s, err := runspec.DecodeTrainQuery(v)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	r, err := runspec.Train(context.Background(), s, nil)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r
}

func example(t *testing.T, id string) lessons.TrainExample {
	t.Helper()
	for _, e := range lessons.TrainExamples() {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no training example %q", id)
	return lessons.TrainExample{}
}

// params is run i's parameters at row k.
func params(r *runspec.TrainResult, i, k int) []float64 {
	p := len(r.Names)
	return r.Runs[i].Params[k*p : (k+1)*p]
}

func dist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s)
}

// wander is the path's length over the straight distance from start to
// end, and the steps on which the full-data loss rose.
func wander(r *runspec.TrainResult) (ratio float64, rises, steps int) {
	run := r.Runs[0]
	n := run.Rows()
	length := 0.0
	for k := 1; k < n; k++ {
		length += dist(params(r, 0, k), params(r, 0, k-1))
		if run.Loss[k] > run.Loss[k-1] {
			rises++
		}
	}
	return length / dist(params(r, 0, n-1), params(r, 0, 0)), rises, n - 1
}

func last(r *runspec.TrainResult, i int) float64 { return r.Runs[i].Loss[r.Runs[i].Rows()-1] }

func TestTrainStoryBatchSize(t *testing.T) {
	e := example(t, "batch-size")
	for _, f := range nearby {
		one := trainQuery(t, e.Query, f)
		full := trainQuery(t, e.Contrast, f)
		mid := trainQuery(t, strings.Replace(e.Query, "bs=1&", "bs=10&", 1), f)
		ratio1, rises1, steps1 := wander(one)
		ratioFull, risesFull, _ := wander(full)
		ratioMid, _, _ := wander(mid)
		if !(ratio1 > 40) || float64(rises1) < 0.4*float64(steps1) || float64(rises1) > 0.6*float64(steps1) {
			t.Errorf("lr x%g, batch size 1: path %.1f times the straight line (want over 40), loss rose on %d of %d steps (want about half)", f, ratio1, rises1, steps1)
		}
		if !(ratioFull < 1.01) || risesFull != 0 {
			t.Errorf("lr x%g, full batch: path %.4f times the straight line (want under 1.01), loss rose on %d steps (want none)", f, ratioFull, risesFull)
		}
		if !(ratioFull < ratioMid && ratioMid < ratio1) {
			t.Errorf("lr x%g: wandering does not shrink as batches grow: batch 1 %.3g, batch 10 %.3g, full %.3g", f, ratio1, ratioMid, ratioFull)
		}
	}
}

// condition is the condition number of the Hessian of the mean squared
// error of y = w·x + b: 2/n Σ [x 1]ᵀ[x 1], a 2x2 symmetric matrix.
func condition(x []float64) float64 {
	var sxx, sx float64
	for _, v := range x {
		sxx += v * v
		sx += v
	}
	n := float64(len(x))
	a, b, c := sxx/n, sx/n, 1.0
	mean, d := (a+c)/2, math.Sqrt((a-c)*(a-c)/4+b*b)
	return (mean + d) / (mean - d)
}

func TestTrainStoryFeatureScaling(t *testing.T) {
	e := example(t, "feature-scaling")
	set, err := data.Real("faithful")
	if err != nil {
		t.Fatal(err)
	}
	k := condition(set.X)
	if got := math.Round(k/10000) * 10000; got != lessons.FaithfulCondition {
		t.Errorf("condition number of the unscaled Old Faithful fit %.0f rounds to %.0f, the lesson says %d", k, got, lessons.FaithfulCondition)
	}
	std := set.Clone()
	std.Standardize()
	if k1 := condition(std.X); math.Abs(k1-1) > 1e-9 {
		t.Errorf("standardized condition number %g, the lesson says 1", k1)
	}
	for _, f := range nearby {
		r := trainQuery(t, e.Query, f)
		min := r.Critical[0].Value
		if o := r.Runs[0].Outcome; o.Status != optim.NotConverged || !(last(r, 0) > 1.1*min) {
			t.Errorf("lr x%g unscaled: %v at step %d, loss %.4g (minimum %.4g): want not converged, still above 1.1 times the minimum", f, o.Status, o.Step, last(r, 0), min)
		}
		s := trainQuery(t, e.Contrast, f)
		if o := s.Runs[0].Outcome; o.Status != optim.Converged || o.Step > 15 || math.Abs(last(s, 0)-s.Critical[0].Value) > 1e-9 {
			t.Errorf("lr x%g standardized: %v at step %d, loss %.6g (minimum %.6g): want converged to the minimum within 15 steps", f, o.Status, o.Step, last(s, 0), s.Critical[0].Value)
		}
	}
}

func TestTrainStorySeparable(t *testing.T) {
	e := example(t, "separable")
	for _, f := range nearby {
		r := trainQuery(t, e.Query, f)
		if !r.Separable || len(r.Critical) != 0 {
			t.Errorf("lr x%g: separable %v with %d critical points, want separable with none", f, r.Separable, len(r.Critical))
		}
		if o := r.Runs[0].Outcome; o.Status != optim.NotConverged {
			t.Errorf("lr x%g: %v, want not converged", f, o.Status)
		}
		zero := make([]float64, len(r.Names))
		for k := 1; k < r.Runs[0].Rows(); k++ {
			if k >= 2 && !(dist(params(r, 0, k), zero) > dist(params(r, 0, k-1), zero)) {
				t.Errorf("lr x%g: the weights' length did not grow at step %d", f, k)
				break
			}
			if !(r.Runs[0].Loss[k] < r.Runs[0].Loss[k-1]) || !(r.Runs[0].Loss[k] > 0) {
				t.Errorf("lr x%g: the loss did not fall towards 0 at step %d", f, k)
				break
			}
		}
		c := trainQuery(t, e.Contrast, f)
		if c.Separable || len(c.Critical) != 1 {
			t.Fatalf("lr x%g contrast: separable %v with %d critical points, want a minimum", f, c.Separable, len(c.Critical))
		}
		m := []float64{c.Critical[0].At.X, c.Critical[0].At.Y}
		start, end := dist(params(c, 0, 0), m), dist(params(c, 0, c.Runs[0].Rows()-1), m)
		if !(end < start/10) {
			t.Errorf("lr x%g contrast: ends %.3g from the minimum, started %.3g away: want it heading there (a tenth of the way left at most)", f, end, start)
		}
	}
}

func TestTrainStorySeeds(t *testing.T) {
	e := example(t, "seeds")
	for _, f := range nearby {
		a := trainQuery(t, e.Query, f)
		b := trainQuery(t, e.Contrast, f)
		n := a.Runs[0].Rows()
		for i, r := range []*runspec.TrainResult{a, b} {
			if acc := r.Runs[0].Accuracy[r.Runs[0].Rows()-1]; acc != 1 {
				t.Errorf("lr x%g seed %d: accuracy %.3f, the lesson says every point is classified right", f, i, acc)
			}
		}
		pa, pb := params(a, 0, n-1), params(b, 0, b.Runs[0].Rows()-1)
		zero := make([]float64, len(pa))
		d := dist(pa, pb) / math.Max(dist(pa, zero), dist(pb, zero))
		if !(d > 0.5) {
			t.Errorf("lr x%g: the two seeds' final weights are %.3g of their length apart, want far (over 0.5)", f, d)
		}
		if la, lb := last(a, 0), last(b, 0); !(math.Abs(la-lb) > 0.1*math.Min(la, lb)) {
			t.Errorf("lr x%g: final losses %.4g and %.4g, want different (by over 10%%)", f, la, lb)
		}
	}
}

func TestTrainStoryNetworkDiverges(t *testing.T) {
	e := example(t, "network-diverges")
	for _, f := range nearby {
		r := trainQuery(t, e.Query, f)
		if o := r.Runs[0].Outcome; o.Status != optim.Diverged || o.Step > 10 {
			t.Errorf("lr x%g: %v at step %d, want diverged within 10 steps", f, o.Status, o.Step)
		}
		c := trainQuery(t, e.Contrast, f)
		if o := c.Runs[0].Outcome; o.Status == optim.Diverged || !(last(c, 0) < c.Runs[0].Loss[0]/5) {
			t.Errorf("lr x%g contrast: %v, loss %.4g from %.4g, want a fall to under a fifth", f, o.Status, last(c, 0), c.Runs[0].Loss[0])
		}
	}
}

// TestTrainExamplesWellFormed checks every example's words and links: both
// languages, a contrast that differs only in what Changed names, and queries
// the server decodes.
func TestTrainExamplesWellFormed(t *testing.T) {
	for _, e := range lessons.TrainExamples() {
		for _, lang := range lessons.Languages {
			if e.Title[lang] == "" || e.Text[lang] == "" || e.Then[lang] == "" {
				t.Errorf("%s: missing %s words", e.ID, lang)
			}
		}
		a, _ := url.ParseQuery(e.Query)
		b, _ := url.ParseQuery(e.Contrast)
		for k := range mergeKeys(a, b) {
			if k != e.Changed && k != "lr" && strings.Join(a[k], "&") != strings.Join(b[k], "&") {
				t.Errorf("%s: the contrast changes %s, not only %s", e.ID, k, e.Changed)
			}
		}
		for _, q := range []url.Values{a, b} {
			if _, err := runspec.DecodeTrainQuery(q); err != nil {
				t.Errorf("%s: %v", e.ID, err)
			}
		}
	}
}

func mergeKeys(a, b url.Values) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// TestTrainExamplesJSON keeps the page's copy (web/js/model/lessons.json,
// embedded with the page) equal to TrainExamples; go test -update rewrites it.
func TestTrainExamplesJSON(t *testing.T) {
	want, err := json.MarshalIndent(lessons.TrainExamples(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.Join("..", "..", "web", "js", "model", "lessons.json")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from lessons.TrainExamples: run go test ./internal/lessons -run TestTrainExamplesJSON -update", path)
	}
}
