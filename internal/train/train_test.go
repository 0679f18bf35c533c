package train

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

func ptr[T any](v T) *T { return &v }

func baseSpec() Spec {
	return Spec{
		Dataset:    Dataset{Name: "moons", N: ptr(60), Seed: 1},
		Model:      model.Spec{Kind: model.MLP, Hidden: []int{4}, Activation: model.Tanh},
		Init:       Init{Seed: ptr(uint64(2))},
		BatchSize:  ptr(16),
		Epochs:     ptr(2),
		Optimizers: []Optimizer{{Name: "adam"}},
	}
}

func TestSpecErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(s *Spec)
		field string
		want  string
	}{
		{"no dataset", func(s *Spec) { s.Dataset = Dataset{} }, "dataset", "dataset must have exactly one of name, points or csv"},
		{"two datasets", func(s *Spec) { s.Dataset.CSV = "1,2\n3,4\n" }, "dataset", "exactly one"},
		{"generator n", func(s *Spec) { s.Dataset.N = ptr(5) }, "dataset.n", "dataset.n must be in [10, 2000], got 5"},
		{"unknown dataset", func(s *Spec) { s.Dataset.Name = "mons" }, "dataset.name", `dataset.name: unknown dataset "mons"`},
		{"real with n", func(s *Spec) { s.Dataset = Dataset{Name: "penguins", N: ptr(20)} }, "dataset", "real data"},
		{"points", func(s *Spec) { s.Dataset = Dataset{Points: [][]float64{{1, 2, 0}, {1, 2, 3}}} }, "dataset.points[1][2]", "dataset.points[1][2] is a label and must be 0 or 1, got 3"},
		{"csv", func(s *Spec) { s.Dataset = Dataset{CSV: "x1,x2,y\n1,2,0\n1,abc,1\n"} }, "dataset.csv", `dataset.csv: row 3, column 2: "abc" is not a number`},
		{"validation", func(s *Spec) { s.Validation = 0.7 }, "validation", "validation must be in [0, 0.5], got 0.7"},
		{"hidden width", func(s *Spec) { s.Model.Hidden = []int{4, 40} }, "model.hidden[1]", "model.hidden[1] must be in [1, 32], got 40"},
		{"model for data", func(s *Spec) { s.Model = model.Spec{Kind: model.Linear} }, "model.kind", "model.kind linear needs regression data"},
		{"init both", func(s *Spec) { s.Init.Params = []float64{1} }, "init", "init must have seed or params, not both"},
		{"init params", func(s *Spec) { s.Init = Init{Params: make([]float64, 5)} }, "init.params", "init.params must have 17 values (a 2-4-1 network), got 5"},
		{"batches with epochs", func(s *Spec) { s.Batches = [][]int{{1}} }, "epochs", "epochs must be absent when batches are given"},
		{"empty batch", func(s *Spec) { s.BatchSize, s.Epochs, s.Batches = nil, nil, [][]int{{1}, {}} }, "batches[1]", "batches[1] is empty"},
		{"batch index", func(s *Spec) { s.BatchSize, s.Epochs, s.Batches = nil, nil, [][]int{{1, 60}} }, "batches[0][1]", "batches[0][1] must be a training row index in [0, 59], got 60"},
		{"batch size", func(s *Spec) { s.BatchSize = ptr(61) }, "batch_size", "batch_size must be in [1, 60] (the training rows), got 61"},
		{"epochs", func(s *Spec) { s.Epochs = ptr(0) }, "epochs", "epochs must be in [1, 10000], got 0"},
		{"too many steps", func(s *Spec) { s.BatchSize, s.Epochs = ptr(1), ptr(2000) }, "epochs", "make 120000 steps, more than 100000"},
		{"steps and epochs", func(s *Spec) { s.Steps = ptr(3) }, "steps", "steps and epochs are exclusive"},
		{"no optimizers", func(s *Spec) { s.Optimizers = nil }, "optimizers", "optimizers must list 1 to 8 optimizers, got 0"},
		{"optimizer lr", func(s *Spec) { s.Optimizers = []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {-1}}}} }, "optimizers[0].lr", "optimizers[0].lr must be > 0, got -1"},
		{"optimizer name", func(s *Spec) { s.Optimizers = append(s.Optimizers, Optimizer{Name: "adma"}) }, "optimizers[1].name", `optimizers[1].name: unknown optimizer "adma" (did you mean adam?)`},
		{"shared lr", func(s *Spec) { s.LR = ptr(0.0) }, "lr", "lr must be a finite number > 0, got 0"},
		{"schedule", func(s *Spec) {
			s.Schedule = &Schedule{Name: "steplr", Values: optim.Values{"step_size": {5}, "gamma": {2}}}
		}, "schedule.gamma", "schedule.gamma must be in (0, 1], got 2"},
		{"clip", func(s *Spec) { s.ClipNorm = -1 }, "clip_norm", "clip_norm must be a finite number >= 0 (0 = off), got -1"},
		{"slice kind", func(s *Spec) { s.Slice.Kind = "params" }, "slice.kind", "slice.kind params is for the two-parameter models"},
		{"slice kind 2", func(s *Spec) { s.Slice.Kind = "pcb" }, "slice.kind", `slice.kind must be params, pca or random, got "pcb"`},
		{"slice optimizer", func(s *Spec) { s.Slice.Optimizer = 1 }, "slice.optimizer", "slice.optimizer must be a run index in [0, 0], got 1"},
		{"grid", func(s *Spec) { s.Grid = 257 }, "grid", "grid must be 0 (no landscape) or in [2, 256], got 257"},
		{"recorded", func(s *Spec) {
			s.Model.Hidden = []int{32, 32, 32}
			s.BatchSize, s.Epochs = ptr(1), ptr(1000)
		}, "steps", "more than the 4000000 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSpec()
			tt.edit(&s)
			_, err := Run(context.Background(), s)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *FieldError", err)
			}
			if fe.Field != tt.field || !strings.Contains(fe.Msg, tt.want) {
				t.Errorf("got field %q, %q; want field %q, %q", fe.Field, fe.Msg, tt.field, tt.want)
			}
			if !strings.HasPrefix(fe.Msg, fe.Field) {
				t.Errorf("message %q does not start with its field %q", fe.Msg, fe.Field)
			}
		})
	}
}

// TestBatcherEpochs: each epoch is a permutation of every row, cut into
// consecutive batches with the last one smaller, and the same seed gives
// the same batches.
func TestBatcherEpochs(t *testing.T) {
	b := newBatcher(nil, 10, 4, 7)
	var sizes []int
	for epoch := range 3 {
		seen := make([]bool, 10)
		for range 3 {
			batch := b.next()
			sizes = append(sizes, len(batch))
			for _, i := range batch {
				if seen[i] {
					t.Fatalf("epoch %d: row %d twice", epoch, i)
				}
				seen[i] = true
			}
		}
		if slices.Contains(seen, false) {
			t.Fatalf("epoch %d missed a row", epoch)
		}
	}
	if !slices.Equal(sizes, []int{4, 4, 2, 4, 4, 2, 4, 4, 2}) {
		t.Errorf("sizes %v", sizes)
	}
	a1, a2 := newBatcher(nil, 10, 3, 1), newBatcher(nil, 10, 3, 1)
	c := newBatcher(nil, 10, 3, 2)
	first, other := slices.Clone(a1.next()), c.next()
	if !slices.Equal(first, a2.next()) || slices.Equal(first, other) {
		t.Error("batches not determined by the shuffle seed")
	}
}

// TestRunRecordsEveryStep: no early stop, steps = epochs * ceil(n/batch),
// every series as long as its contract says, the same batches for every
// optimizer.
func TestRunRecordsEveryStep(t *testing.T) {
	s := baseSpec()
	s.Validation = 0.25
	s.Optimizers = []Optimizer{{Name: "adam"}, {Name: "sgd", Values: optim.Values{"momentum": {0.9}}}}
	s.Epochs = ptr(3)
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 45 || res.ValRows != 15 || res.Steps != 9 { // 45 rows in 3 batches of 16, 16, 13
		t.Fatalf("rows %d, validation %d, steps %d", res.Rows, res.ValRows, res.Steps)
	}
	np := len(res.Names)
	for _, r := range res.Runs {
		if r.Rows() != 10 || len(r.Params) != 10*np || len(r.BatchLoss) != 9 || len(r.Accuracy) != 10 || len(r.ValLoss) != 10 || len(r.Points) != 10 {
			t.Fatalf("%s: rows %d params %d batch %d acc %d val %d points %d", r.Optimizer, r.Rows(), len(r.Params), len(r.BatchLoss), len(r.Accuracy), len(r.ValLoss), len(r.Points))
		}
		if r.Outcome.Status != optim.NotConverged || r.Outcome.Step != 9 {
			t.Errorf("%s: %v at %d", r.Optimizer, r.Outcome.Status, r.Outcome.Step)
		}
		if !slices.Equal(r.Params[:np], res.Init) || r.Values["lr"][0] != DefaultLR {
			t.Errorf("%s: first row is not the initial parameters, or lr %v", r.Optimizer, r.Values["lr"])
		}
	}
	// Replay the first run by hand: the same batches, the same steps.
	pl, _ := check(s)
	ws := pl.model.NewWorkspace()
	p := slices.Clone(pl.init)
	g := make([]float64, len(p))
	opt, _, _ := optim.NewVec("adam", optim.Values{"lr": {DefaultLR}}, len(p))
	b := newBatcher(nil, pl.train.Rows(), 16, 0)
	for k := 1; k <= 9; k++ {
		bl := ws.LossGrad(p, g, pl.train, b.next())
		opt.StepVec(p, g)
		if bl != res.Runs[0].BatchLoss[k-1] || !slices.Equal(p, res.Runs[0].Params[k*np:(k+1)*np]) {
			t.Fatalf("step %d differs from the replay", k)
		}
	}
	if v := ws.Loss(p, pl.val, nil); v != res.Runs[0].ValLoss[9] {
		t.Errorf("validation loss %v, replay %v", res.Runs[0].ValLoss[9], v)
	}
}

// TestLinearCritical: the minimum is the least-squares solution (to 1e-9
// against gonum's QR solve), a full-batch run converges to it and names it.
func TestLinearCritical(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "line", N: ptr(50), Seed: 3, Params: map[string]float64{"slope": -2, "intercept": 4}},
		Model: model.Spec{Kind: model.Linear}, Steps: ptr(400), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.3}}}}, Grid: 9}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := loadDataset(s.Dataset)
	a := mat.NewDense(set.Rows(), 2, nil)
	for i := range set.Rows() {
		a.Set(i, 0, set.X[i])
		a.Set(i, 1, 1)
	}
	var sol mat.VecDense
	if err := sol.SolveVec(a, mat.NewVecDense(set.Rows(), set.Y)); err != nil {
		t.Fatal(err)
	}
	if len(res.Critical) != 1 {
		t.Fatalf("critical %v", res.Critical)
	}
	c := res.Critical[0]
	if math.Abs(c.At.X-sol.AtVec(0)) > 1e-9 || math.Abs(c.At.Y-sol.AtVec(1)) > 1e-9 || c.Kind != landscape.Minimum || !c.Global {
		t.Errorf("minimum %+v, least squares %v", c, sol.RawVector().Data)
	}
	r := res.Runs[0]
	if r.Rows() != 401 || r.Outcome.Status != optim.Converged || r.Outcome.Reached != &res.Critical[0] {
		t.Errorf("%d rows, outcome %+v", r.Rows(), r.Outcome)
	}
	if res.Slice.Kind != SliceParams || res.Runs[0].Points[5].X != r.Params[10] || res.Runs[0].Points[5].Y != r.Params[11] {
		t.Errorf("params slice: %+v", res.Slice)
	}
	checkGrid(t, res, set, s.Model)
}

// checkGrid recomputes some nodes of the landscape and checks that the box
// frames every point.
func checkGrid(t *testing.T, res *Result, set *data.Set, spec model.Spec) {
	t.Helper()
	g := res.Landscape
	if g == nil || len(g.Values) != g.NX*g.NY {
		t.Fatalf("grid %+v", g)
	}
	for _, r := range res.Runs {
		for _, p := range r.Points {
			if p.X < g.Box[0] || p.X > g.Box[1] || p.Y < g.Box[2] || p.Y > g.Box[3] {
				t.Fatalf("point %v outside the box %v", p, g.Box)
			}
		}
	}
	checkNodes(t, res, set, spec)
}

// checkNodes recomputes some nodes of the landscape from the model's loss
// at the node's parameters on the slice's plane.
func checkNodes(t *testing.T, res *Result, set *data.Set, spec model.Spec) {
	t.Helper()
	g := res.Landscape
	m, _ := model.New(spec, set.Task)
	ws := m.NewWorkspace()
	theta := make([]float64, len(res.Slice.Origin))
	for _, node := range [][2]int{{0, 0}, {g.NX - 1, 0}, {1, g.NY - 1}, {g.NX / 2, g.NY / 3}} {
		i, j := node[0], node[1]
		a := g.Box[0] + float64(i)*(g.Box[1]-g.Box[0])/float64(g.NX-1)
		b := g.Box[2] + float64(j)*(g.Box[3]-g.Box[2])/float64(g.NY-1)
		for k := range theta {
			theta[k] = res.Slice.Origin[k] + a*res.Slice.D1[k] + b*res.Slice.D2[k]
		}
		if want := ws.Loss(theta, set, nil); g.Values[j*g.NX+i] != want {
			t.Errorf("node (%d, %d): %v, want %v", i, j, g.Values[j*g.NX+i], want)
		}
	}
}

func TestLogisticCritical(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "penguins"}, Standardize: true, Model: model.Spec{Kind: model.Logistic},
		Steps: ptr(50), Optimizers: []Optimizer{{Name: "adam"}}, Grid: 5}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Critical) != 1 || res.Separable {
		t.Fatalf("critical %v, separable %v", res.Critical, res.Separable)
	}
	set, _ := loadDataset(s.Dataset)
	set.Standardize()
	m, _ := model.New(s.Model, set.Task)
	ws := m.NewWorkspace()
	w := []float64{res.Critical[0].At.X, res.Critical[0].At.Y}
	g := make([]float64, 2)
	loss := ws.LossGrad(w, g, set, nil)
	if math.Hypot(g[0], g[1]) > 1e-12 || math.Abs(loss-res.Critical[0].Value) > 1e-15 {
		t.Errorf("gradient %v at the minimum %v", g, w)
	}
	// Nothing nearby is lower: the minimum to 1e-9 means a step of 1e-9
	// in any direction changes the loss by far less than its curvature
	// allows for a point further away.
	for _, d := range [][2]float64{{1e-4, 0}, {0, 1e-4}, {-1e-4, 1e-4}} {
		if ws.Loss([]float64{w[0] + d[0], w[1] + d[1]}, set, nil) <= loss {
			t.Errorf("lower loss at %v + %v", w, d)
		}
	}
	checkGrid(t, res, set, s.Model)

	sep := Spec{Dataset: Dataset{Name: "gaussians", Noise: ptr(0.3), Params: map[string]float64{"separation": 6}},
		Model: model.Spec{Kind: model.Logistic}, Steps: ptr(300), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {1}}}}}
	res, err = Run(context.Background(), sep)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Runs[0]
	np := 2
	grow := math.Hypot(r.Params[len(r.Params)-2], r.Params[len(r.Params)-1]) - math.Hypot(r.Params[len(r.Params)-2-np*50], r.Params[len(r.Params)-1-np*50])
	if !res.Separable || len(res.Critical) != 0 || r.Outcome.Status != optim.NotConverged || !(grow > 0) {
		t.Errorf("separable %v, critical %v, outcome %v, weights grew by %v over the last 50 steps", res.Separable, res.Critical, r.Outcome.Status, grow)
	}
}

// TestPCASlice compares the directions with gonum's SVD of the matrix of
// displacements, on both sides of the Gram shortcut (fewer rows than
// parameters and more).
func TestPCASlice(t *testing.T) {
	for _, steps := range []int{8, 300} {
		s := baseSpec()
		s.Epochs, s.BatchSize, s.Steps = nil, ptr(8), ptr(steps)
		s.Optimizers = []Optimizer{{Name: "adam", Values: optim.Values{"lr": {0.05}}}, {Name: "sgd", Values: optim.Values{"lr": {0.5}}}}
		s.Slice = Slice{Kind: SlicePCA, Optimizer: 1}
		s.Grid = 6
		res, err := Run(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		np := len(res.Names)
		sl := res.Slice
		last := res.Runs[1].Params
		if !slices.Equal(sl.Origin, last[len(last)-np:]) {
			t.Fatal("origin is not the final parameters of slice.optimizer")
		}
		var rows [][]float64
		for _, r := range res.Runs {
			for k := range r.Rows() {
				row := make([]float64, np)
				for j := range row {
					row[j] = r.Params[k*np+j] - sl.Origin[j]
				}
				rows = append(rows, row)
			}
		}
		m := mat.NewDense(len(rows), np, nil)
		for i, row := range rows {
			m.SetRow(i, row)
		}
		var svd mat.SVD
		if !svd.Factorize(m, mat.SVDThin) {
			t.Fatal("SVD failed")
		}
		var v mat.Dense
		svd.VTo(&v)
		sv := svd.Values(nil)
		total := mat.Norm(m, 2) * mat.Norm(m, 2)
		for i, d := range [][]float64{sl.D1, sl.D2} {
			want := mat.Col(nil, i, &v)
			if c := math.Abs(dot(d, want)); math.Abs(c-1) > 1e-9 {
				t.Errorf("steps %d: |d%d . v%d| = %v", steps, i+1, i+1, c)
			}
			if math.Abs(sl.Explained[i]-sv[i]*sv[i]/total) > 1e-9 {
				t.Errorf("steps %d: explained[%d] = %v, SVD %v", steps, i, sl.Explained[i], sv[i]*sv[i]/total)
			}
			if dot(rows[0], d) > 0 {
				t.Errorf("steps %d: row 0 projects to %v > 0 on d%d", steps, dot(rows[0], d), i+1)
			}
		}
		if math.Abs(dot(sl.D1, sl.D2)) > 1e-12 || math.Abs(dot(sl.D1, sl.D1)-1) > 1e-12 {
			t.Errorf("directions not orthonormal")
		}
		p := res.Runs[0].Points[3]
		if math.Abs(p.X-dot(rows[3], sl.D1)) > 1e-12 || p.Loss != res.Runs[0].Loss[3] {
			t.Errorf("point %v", p)
		}
		set, _ := loadDataset(s.Dataset)
		train, _, _ := set.Split(0, 0)
		checkGrid(t, res, train, s.Model)
	}
}

func TestRandomSlice(t *testing.T) {
	s := baseSpec()
	s.Model.Hidden = []int{5, 3}
	s.Slice = Slice{Kind: SliceRandom, Seed: 9}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := model.New(s.Model, data.Classification)
	sizes := m.Sizes()
	for _, d := range [][]float64{res.Slice.D1, res.Slice.D2} {
		off := 0
		for l := 1; l < len(sizes); l++ {
			in, out := sizes[l-1], sizes[l]
			for j := range out {
				row, orig := d[off+j*in:off+(j+1)*in], res.Slice.Origin[off+j*in:off+(j+1)*in]
				if math.Abs(math.Sqrt(dot(row, row))-math.Sqrt(dot(orig, orig))) > 1e-12 {
					t.Fatalf("layer %d neuron %d: norm %v, origin's %v", l, j, math.Sqrt(dot(row, row)), math.Sqrt(dot(orig, orig)))
				}
			}
			for _, b := range d[off+in*out : off+in*out+out] {
				if b != 0 {
					t.Fatal("bias direction not zero")
				}
			}
			off += in*out + out
		}
	}
	r := res.Runs[0]
	last := r.Rows() - 1
	if r.Distance[last] != 0 || r.Points[last].X != 0 || r.Points[last].Y != 0 {
		t.Errorf("the origin's own row: distance %v, point %v", r.Distance[last], r.Points[last])
	}
	if !(r.Distance[0] > 0) {
		t.Error("the first row lies in a random plane")
	}
	again, _ := Run(context.Background(), s)
	s.Slice.Seed = 10
	other, _ := Run(context.Background(), s)
	if !slices.Equal(again.Slice.D1, res.Slice.D1) || slices.Equal(other.Slice.D1, res.Slice.D1) {
		t.Error("directions not determined by slice.seed")
	}
}

func TestDivergedRun(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "line", N: ptr(30), Seed: 1}, Model: model.Spec{Kind: model.Linear},
		Steps: ptr(500), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {1.5}}}}, Grid: 4}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Runs[0]
	if r.Outcome.Status != optim.Diverged || r.Rows() >= 501 || r.Outcome.Step < 2 {
		t.Fatalf("outcome %+v after %d rows", r.Outcome, r.Rows())
	}
	for _, v := range append(append(slices.Clone(r.Params), r.Loss...), r.BatchLoss...) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatal("a non-finite value was recorded")
		}
	}
}

type countingJudge struct{ calls *int }

func (j countingJudge) Observe(int, []float64, []float64, float64) { *j.calls++ }
func (j countingJudge) Outcome(steps int) optim.Outcome {
	return optim.Outcome{Status: optim.Converged, Step: steps}
}

func TestJudgeAndProgress(t *testing.T) {
	s := baseSpec()
	s.Optimizers = []Optimizer{{Name: "adam"}, {Name: "rmsprop"}}
	s.Epochs = ptr(200) // 800 steps per run
	calls := 0
	s.Judge = func() Judge { return countingJudge{&calls} }
	var seen [][2]int
	s.Progress = func(done, total int) { seen = append(seen, [2]int{done, total}) }
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1600 || res.Runs[1].Outcome.Status != optim.Converged {
		t.Errorf("judge observed %d steps, outcome %v", calls, res.Runs[1].Outcome)
	}
	if len(seen) < 4 || seen[len(seen)-1] != [2]int{1600, 1600} || !slices.IsSortedFunc(seen, func(a, b [2]int) int { return a[0] - b[0] }) {
		t.Errorf("progress %v", seen)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.Judge = nil
	s.Progress = func(done, total int) { cancel() }
	if _, err := Run(ctx, s); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

// TestFaithfulLeastSquares: R's lm(eruptions ~ waiting, faithful) prints
// slope 0.075628 and intercept -1.874016.
func TestFaithfulLeastSquares(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "faithful"}, Model: model.Spec{Kind: model.Linear}, Steps: ptr(1),
		Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {1e-4}}}}}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Critical[0].At
	if math.Abs(c.X-0.075628) > 5e-7 || math.Abs(c.Y+1.874016) > 5e-7 {
		t.Errorf("least squares (%v, %v), R (0.075628, -1.874016)", c.X, c.Y)
	}
}

// TestDivergedAtStart: a loss that overflows at the initial parameters
// records no row, and the slice and grid still come out (around the
// initial parameters), with no panic.
func TestDivergedAtStart(t *testing.T) {
	for _, m := range []model.Spec{{Kind: model.Linear}, {Kind: model.MLP, Hidden: []int{3}, Activation: model.Tanh}} {
		s := Spec{Dataset: Dataset{Points: [][]float64{{1, 1e200}, {2, -1e200}, {3, 1e200}}}, Model: m,
			Steps: ptr(5), Optimizers: []Optimizer{{Name: "sgd"}}, Grid: 3}
		res, err := Run(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Runs[0]
		if r.Rows() != 0 || r.Outcome.Status != optim.Diverged || r.Outcome.Step != 0 {
			t.Errorf("%s: %d rows, outcome %+v", m.Kind, r.Rows(), r.Outcome)
		}
		if len(res.Critical) != 0 {
			t.Errorf("%s: critical %v with an overflowing loss", m.Kind, res.Critical)
		}
		if res.Landscape == nil || len(res.Landscape.Values) != 9 {
			t.Fatalf("%s: landscape %+v", m.Kind, res.Landscape)
		}
		for _, v := range res.Landscape.Box {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%s: box %v", m.Kind, res.Landscape.Box)
			}
		}
	}
}

// TestLandscapeBox: a given box is the landscape's, node for node the loss
// at its parameters, and changes nothing else of the answer; without a grid
// it is refused.
func TestLandscapeBox(t *testing.T) {
	specs := map[string]Spec{
		"linear": {Dataset: Dataset{Name: "line", N: ptr(30), Seed: 1}, Model: model.Spec{Kind: model.Linear},
			Steps: ptr(40), Optimizers: []Optimizer{{Name: "sgd"}, {Name: "adam"}}, Grid: 9},
		"mlp, pca slice": {Dataset: Dataset{Name: "moons", N: ptr(40), Seed: 2}, Model: model.Spec{Kind: model.MLP, Hidden: []int{3}, Activation: model.Tanh},
			Steps: ptr(20), Optimizers: []Optimizer{{Name: "adam"}}, Grid: 7},
	}
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			own, err := Run(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			b := own.Landscape.Box
			box := [4]float64{b[0] - 1, b[1] + 0.25, b[2] - 0.5, b[3] + 2}
			s.Box = &box
			got, err := Run(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			if got.Landscape.Box != box {
				t.Fatalf("landscape box %v, want the request's %v", got.Landscape.Box, box)
			}
			set, _ := loadDataset(s.Dataset)
			if s.Standardize {
				t.Fatal("the check below reads raw features")
			}
			checkNodes(t, got, set, s.Model)
			for i := range own.Runs {
				if !reflect.DeepEqual(own.Runs[i].Params, got.Runs[i].Params) || !reflect.DeepEqual(own.Runs[i].Points, got.Runs[i].Points) {
					t.Errorf("run %d differs with a box", i)
				}
			}
			if !reflect.DeepEqual(own.Critical, got.Critical) || !reflect.DeepEqual(own.Slice, got.Slice) {
				t.Error("critical points or slice differ with a box")
			}
			if lb, err := LandscapeBox(context.Background(), s); err != nil || lb != box {
				t.Errorf("LandscapeBox = %v, %v; want the request's box", lb, err)
			}
		})
	}
	s := specs["linear"]
	s.Grid, s.Box = 0, &[4]float64{0, 1, 0, 1}
	var fe *FieldError
	if _, err := Run(context.Background(), s); !errors.As(err, &fe) || fe.Field != "box" || !strings.Contains(fe.Msg, "give grid too") {
		t.Errorf("box without grid: %v", err)
	}
}
