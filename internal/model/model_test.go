package model

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/basin-dev/basin/internal/data"
)

func gen(t testing.TB, name string, n int) *data.Set {
	t.Helper()
	s, err := data.Generate(data.Generated{Name: name, N: &n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGradientFiniteDifferences checks backpropagation against central
// finite differences for every kind, activation and task, on full data
// (more rows than one chunk) and on a minibatch with a repeated index.
func TestGradientFiniteDifferences(t *testing.T) {
	moons, sine := gen(t, "moons", 150), gen(t, "sine", 150)
	tests := []struct {
		name string
		spec Spec
		set  *data.Set
	}{
		{"linear", Spec{Kind: Linear}, sine},
		{"logistic", Spec{Kind: Logistic}, moons},
		{"mlp tanh classification", Spec{Kind: MLP, Hidden: []int{5, 3}, Activation: Tanh}, moons},
		{"mlp relu classification", Spec{Kind: MLP, Hidden: []int{6, 4, 3}, Activation: ReLU}, moons},
		{"mlp sigmoid classification", Spec{Kind: MLP, Hidden: []int{4}, Activation: Sigmoid}, moons},
		{"mlp tanh regression", Spec{Kind: MLP, Hidden: []int{7}, Activation: Tanh}, sine},
		{"mlp relu regression", Spec{Kind: MLP, Hidden: []int{8, 8}, Activation: ReLU}, sine},
		{"mlp sigmoid regression", Spec{Kind: MLP, Hidden: []int{3, 2}, Activation: Sigmoid}, sine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.spec, tt.set.Task)
			if err != nil {
				t.Fatal(err)
			}
			ws := m.NewWorkspace()
			p := m.Init(3)
			for i := range p {
				p[i] *= 2 // larger weights: sigmoid and tanh away from their linear part
			}
			for _, idx := range [][]int{nil, {5, 17, 5, 140, 0}} {
				grad := make([]float64, len(p))
				loss := ws.LossGrad(p, grad, tt.set, idx)
				if want := ws.Loss(p, tt.set, idx); loss != want {
					t.Fatalf("LossGrad's loss %v, Loss %v", loss, want)
				}
				num := fd.Gradient(nil, func(q []float64) float64 { return ws.Loss(q, tt.set, idx) }, p,
					&fd.Settings{Formula: fd.Central, Step: 1e-6})
				for i := range p {
					if d := math.Abs(grad[i] - num[i]); d > 1e-7*math.Max(1, math.Abs(num[i])) {
						t.Errorf("idx %v: d/d %s = %.12g, finite differences %.12g", idx, m.Names()[i], grad[i], num[i])
					}
				}
			}
		})
	}
}

func TestLossClosedForm(t *testing.T) {
	s, _ := data.FromPoints([][]float64{{1, 2}, {2, 3}, {-1, 0}})
	m, _ := New(Spec{Kind: Linear}, data.Regression)
	ws := m.NewWorkspace()
	// w = 2, b = -1: predictions 1, 3, -3; errors -1, 0, -3.
	if got, want := ws.Loss([]float64{2, -1}, s, nil), 10.0/3; math.Abs(got-want) > 1e-15 {
		t.Errorf("MSE %v, want %v", got, want)
	}
	c, _ := data.FromPoints([][]float64{{1, 0, 1}, {0, 1, 0}, {-1000, 0, 1}})
	lg, _ := New(Spec{Kind: Logistic}, data.Classification)
	ws = lg.NewWorkspace()
	// logits 1, 2, -1000: -log(sigmoid(1)), -log(1-sigmoid(2)), 1000 + log1p(e^-1000).
	want := (math.Log1p(math.Exp(-1)) + 2 + math.Log1p(math.Exp(-2)) + 1000) / 3
	loss, acc := ws.LossAccuracy([]float64{1, 2}, c, nil)
	if math.Abs(loss-want) > 1e-12 || acc != 1.0/3 {
		t.Errorf("BCE %v accuracy %v, want %v and 1/3", loss, acc, want)
	}
}

func TestNames(t *testing.T) {
	m, _ := New(Spec{Kind: MLP, Hidden: []int{4, 3}, Activation: Tanh}, data.Classification)
	names := m.Names()
	if m.NumParams() != 2*4+4+4*3+3+3+1 || len(names) != m.NumParams() {
		t.Fatalf("%d params, %d names", m.NumParams(), len(names))
	}
	for i, want := range map[int]string{0: "layer1.weight[0,0]", 7: "layer1.weight[3,1]", 8: "layer1.bias[0]", 12: "layer2.weight[0,0]", 24: "layer2.bias[0]", 26: "layer2.bias[2]", 27: "layer3.weight[0,0]", 30: "layer3.bias[0]"} {
		if names[i] != want {
			t.Errorf("names[%d] = %s, want %s", i, names[i], want)
		}
	}
	l, _ := New(Spec{Kind: Linear}, data.Regression)
	g, _ := New(Spec{Kind: Logistic}, data.Classification)
	if strings.Join(l.Names(), ",") != "w,b" || strings.Join(g.Names(), ",") != "w1,w2" {
		t.Errorf("%v %v", l.Names(), g.Names())
	}
}

func TestInit(t *testing.T) {
	m, _ := New(Spec{Kind: MLP, Hidden: []int{32, 16}, Activation: ReLU}, data.Classification)
	p := m.Init(1)
	if q := m.Init(1); q[100] != p[100] {
		t.Fatal("same seed, different parameters")
	}
	if q := m.Init(2); q[100] == p[100] {
		t.Fatal("different seeds, same parameters")
	}
	// Bounds per layer: 1/sqrt(2), 1/sqrt(32), 1/sqrt(16); each layer's
	// values fill most of their range.
	for l, ly := range m.layers {
		bound := 1 / math.Sqrt(float64(ly.in))
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range p[ly.w : ly.b+ly.out] {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo < -bound || hi >= bound || (ly.out*ly.in > 30 && (lo > -0.8*bound || hi < 0.8*bound)) {
			t.Errorf("layer %d: values in [%v, %v], bound %v", l+1, lo, hi, bound)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		spec  Spec
		task  data.Task
		field string
		want  string
	}{
		{Spec{Kind: "cnn"}, data.Regression, "kind", `kind must be linear, logistic or mlp, got "cnn"`},
		{Spec{Kind: Linear}, data.Classification, "kind", "kind linear needs regression data (2 columns)"},
		{Spec{Kind: Logistic}, data.Regression, "kind", "kind logistic needs classification data (3 columns)"},
		{Spec{Kind: Linear, Hidden: []int{3}}, data.Regression, "hidden", "hidden is for kind mlp only"},
		{Spec{Kind: MLP, Activation: Tanh}, data.Regression, "hidden", "hidden must list 1 to 3 layer widths, got 0"},
		{Spec{Kind: MLP, Hidden: []int{1, 2, 3, 4}, Activation: Tanh}, data.Regression, "hidden", "got 4"},
		{Spec{Kind: MLP, Hidden: []int{8, 33}, Activation: Tanh}, data.Regression, "hidden[1]", "hidden[1] must be in [1, 32], got 33"},
		{Spec{Kind: MLP, Hidden: []int{0}, Activation: Tanh}, data.Regression, "hidden[0]", "got 0"},
		{Spec{Kind: MLP, Hidden: []int{8}, Activation: "gelu"}, data.Regression, "activation", `activation must be tanh, relu or sigmoid, got "gelu"`},
	}
	for _, tt := range tests {
		_, err := New(tt.spec, tt.task)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: got %v, want field %s, %q", tt.spec, err, tt.field, tt.want)
		}
	}
	m, _ := New(Spec{Kind: Linear}, data.Regression)
	if err := m.CheckParams([]float64{1}); err == nil || !strings.Contains(err.Error(), "params must have 2 values (w, b), got 1") {
		t.Errorf("short params: %v", err)
	}
	if err := m.CheckParams([]float64{1, math.NaN()}); err == nil || !strings.HasPrefix(err.Error(), "params[1] must be a finite number") {
		t.Errorf("NaN param: %v", err)
	}
}

func TestLossGradAllocatesNothing(t *testing.T) {
	s := gen(t, "moons", 200)
	m, _ := New(Spec{Kind: MLP, Hidden: []int{16, 16}, Activation: ReLU}, s.Task)
	ws := m.NewWorkspace()
	p := m.Init(1)
	grad := make([]float64, len(p))
	idx := []int{1, 2, 3, 4, 5, 6, 7, 8}
	if n := testing.AllocsPerRun(50, func() {
		ws.LossGrad(p, grad, s, idx)
		ws.LossAccuracy(p, s, nil)
	}); n != 0 {
		t.Errorf("%v allocations per step", n)
	}
}

func TestPredict(t *testing.T) {
	s := gen(t, "moons", 100)
	m, _ := New(Spec{Kind: MLP, Hidden: []int{4}, Activation: Tanh}, s.Task)
	ws := m.NewWorkspace()
	p := m.Init(4)
	out := make([]float64, s.Rows())
	ws.Predict(p, s.X, out)
	// The mean BCE from the predicted probabilities is the loss.
	sum := 0.0
	for i, q := range out {
		if s.Y[i] == 1 {
			sum -= math.Log(q)
		} else {
			sum -= math.Log(1 - q)
		}
	}
	if got := ws.Loss(p, s, nil); math.Abs(sum/100-got) > 1e-12 {
		t.Errorf("loss from predictions %v, Loss %v", sum/100, got)
	}
}

// TestLog1pSmall checks the loss's log1p against math.Log1p over [0, 1]:
// an even sweep, the table points and their midpoints (where the series
// runs furthest), and exp(-a) for large a, where e is tiny.
func TestLog1pSmall(t *testing.T) {
	var es []float64
	for i := range 200001 {
		es = append(es, float64(i)/200000)
	}
	for k := range 2 * log1pSteps {
		c := float64(k) / (2 * log1pSteps)
		es = append(es, c, math.Nextafter(c, 0), math.Nextafter(c, 1))
	}
	for a := 0.0; a < 750; a += 0.37 {
		es = append(es, math.Exp(-a))
	}
	for _, e := range es {
		got, want := log1pSmall(e), math.Log1p(e)
		if math.Abs(got-want) > 4e-16*want {
			t.Fatalf("log1pSmall(%.17g) = %.17g, math.Log1p %.17g", e, got, want)
		}
	}
	if v := bceWithLogits(math.NaN(), 1); !math.IsNaN(v) {
		t.Errorf("bceWithLogits(NaN, 1) = %g, want NaN", v)
	}
}

// TestExpNeg checks the loss's exp(-a) against math.Exp over the table's
// range, at its points and midpoints, and beyond it.
func TestExpNeg(t *testing.T) {
	var as []float64
	for i := range 200001 {
		as = append(as, float64(i)/200)
	}
	for k := range 4000 {
		c := float64(k) * math.Ln2 / (2 * expSteps)
		as = append(as, c, math.Nextafter(c, 0), math.Nextafter(c, 1))
	}
	as = append(as, 700, math.Nextafter(700, 800), 745, 746, math.Inf(1))
	for _, a := range as {
		got, want := expNeg(a), math.Exp(-a)
		if math.Abs(got-want) > 1e-15*want {
			t.Fatalf("expNeg(%.17g) = %.17g, math.Exp %.17g", a, got, want)
		}
	}
	if v := expNeg(math.NaN()); !math.IsNaN(v) {
		t.Errorf("expNeg(NaN) = %g, want NaN", v)
	}
}

// TestLossMatchesPlainLoops checks the workspace's chunked, vectorised
// forward pass and loss against one row at a time through plain loops and
// math's functions, over layer widths 1 to MaxUnits (units left over
// after the blocks of four, inputs not a multiple of eight), one to three
// hidden layers, every activation, both tasks, and row counts that end
// mid-block and mid-chunk.
func TestLossMatchesPlainLoops(t *testing.T) {
	moons, sine := gen(t, "moons", 300), gen(t, "sine", 300)
	var hiddens [][]int
	for h := MinUnits; h <= MaxUnits; h++ {
		hiddens = append(hiddens, []int{h})
	}
	hiddens = append(hiddens, []int{16, 16}, []int{5, 12}, []int{32, 7, 9}, []int{3, 32, 32}, []int{4, 8, 1})
	for _, set := range []*data.Set{moons, sine} {
		for _, act := range []string{ReLU, Tanh, Sigmoid} {
			for _, hidden := range hiddens {
				m, err := New(Spec{Kind: MLP, Hidden: hidden, Activation: act}, set.Task)
				if err != nil {
					t.Fatal(err)
				}
				ws := m.NewWorkspace()
				p := m.Init(5)
				for i := range p {
					p[i] *= 3
				}
				for _, rows := range []int{1, 7, 8, 9, 127, 128, 129, 300} {
					idx := make([]int, rows)
					for i := range idx {
						idx[i] = (i * 7) % set.Rows()
					}
					got, want := ws.Loss(p, set, idx), plainLoss(m, p, set, idx)
					if math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
						t.Fatalf("%v %s %s, %d rows: loss %.17g, plain loops %.17g", hidden, act, set.Task, rows, got, want)
					}
				}
			}
		}
	}
}

// plainLoss is the mean loss one row at a time, with no kernel, table or
// chunk.
func plainLoss(m *Model, p []float64, set *data.Set, idx []int) float64 {
	f := m.sizes[0]
	sum := 0.0
	for _, i := range idx {
		a := append([]float64(nil), set.X[i*f:(i+1)*f]...)
		for l, ly := range m.layers {
			z := make([]float64, ly.out)
			for j := range z {
				z[j] = p[ly.b+j]
				for k := range ly.in {
					z[j] += p[ly.w+j*ly.in+k] * a[k]
				}
				if l < len(m.layers)-1 {
					switch m.act {
					case reluAct:
						z[j] = max(z[j], 0)
					case tanhAct:
						z[j] = math.Tanh(z[j])
					case sigmoidAct:
						z[j] = 1 / (1 + math.Exp(-z[j]))
					}
				}
			}
			a = z
		}
		if m.task == data.Classification {
			x, y := a[0], set.Y[i]
			sum += max(x, 0) - x*y + math.Log1p(math.Exp(-math.Abs(x)))
		} else {
			e := a[0] - set.Y[i]
			sum += e * e
		}
	}
	return sum / float64(len(idx))
}
