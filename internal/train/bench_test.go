package train

import (
	"context"
	"testing"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// benchNet is the network of the speed targets: 2-16-16-1 with ReLU.
var benchNet = model.Spec{Kind: model.MLP, Hidden: []int{16, 16}, Activation: model.ReLU}

const (
	benchRows  = 1000 // rows of the slice benchmark's data
	benchBatch = 32   // rows of the step benchmark's minibatch
	benchGrid  = 64   // nodes per side of the slice benchmark
)

func benchSet(b testing.TB) *data.Set {
	n := benchRows / 2 // generators stop at data.MaxGenerated; two draws make 1,000 rows
	s1, err := data.Generate(data.Generated{Name: "moons", N: &n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s2, _ := data.Generate(data.Generated{Name: "moons", N: &n, Seed: 2})
	s1.X = append(s1.X, s2.X...)
	s1.Y = append(s1.Y, s2.Y...)
	return s1
}

// BenchmarkTrainStep is one training step of the 2-16-16-1 ReLU network on
// a 32-row minibatch with Adam: forward, backward, update.
func BenchmarkTrainStep(b *testing.B) {
	set := benchSet(b)
	m, _ := model.New(benchNet, set.Task)
	ws := m.NewWorkspace()
	p := m.Init(1)
	grad := make([]float64, len(p))
	opt, _, _ := optim.NewVec("adam", optim.Values{"lr": {0.01}}, len(p))
	batch := make([]int, benchBatch)
	for i := range batch {
		batch[i] = (i * 31) % set.Rows()
	}
	b.ReportAllocs()
	for b.Loop() {
		ws.LossGrad(p, grad, set, batch)
		opt.StepVec(p, grad)
	}
}

// BenchmarkSliceGrid is the 64 x 64 grid of full-data losses on 1,000
// rows through the 2-16-16-1 network's parameter space.
func BenchmarkSliceGrid(b *testing.B) {
	set := benchSet(b)
	m, _ := model.New(benchNet, set.Task)
	sl := SliceResult{Origin: m.Init(1), D1: m.Init(2), D2: m.Init(3)}
	box := [4]float64{-1, 1, -1, 1}
	for b.Loop() {
		if _, err := sliceLoss(context.Background(), m, set, sl, box, benchGrid, benchGrid); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNodeLoss is one grid node as sliceLoss computes it: the
// full-data loss of the 2-16-16-1 network on 1,000 rows laid out once
// (model.Columns), on one core.
func BenchmarkNodeLoss(b *testing.B) {
	set := benchSet(b)
	m, _ := model.New(benchNet, set.Task)
	ws := m.NewWorkspace()
	cols := m.Columns(set)
	p := m.Init(1)
	for b.Loop() {
		ws.LossColumns(p, cols)
	}
}

// BenchmarkRunGrid64 is the engine's part of the slice target's request:
// train.Run with one Adam step of the 2-16-16-1 network on a 32-row batch
// of 1,000 moons, a pca slice and "grid": 64 (validation, training, SVD,
// projection and grid; no JSON).
func BenchmarkRunGrid64(b *testing.B) {
	n, steps, batch := benchRows, 1, benchBatch
	spec := Spec{
		Dataset:    Dataset{Name: "moons", N: &n, Seed: 1},
		Model:      benchNet,
		Steps:      &steps,
		BatchSize:  &batch,
		Optimizers: []Optimizer{{Name: "adam"}},
		Grid:       benchGrid,
	}
	for b.Loop() {
		if _, err := Run(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNoisyJudge is the outcome of a minibatch run of the 2-16-16-1
// ReLU network on 200 moons rows, batch 32, 20 epochs (140 steps): the
// training with RestJudge against the same with the noisy-run judge shows
// what judging costs (its ceiling is judgeWork).
func BenchmarkNoisyJudge(b *testing.B) {
	for _, tc := range []struct {
		name  string
		judge func() Judge
	}{{"rest", RestJudge}, {"noisy", nil}} {
		b.Run(tc.name, func(b *testing.B) {
			s := Spec{Dataset: Dataset{Name: "moons", N: ptr(200), Seed: 1}, Model: benchNet, Init: Init{Seed: ptr(uint64(1))},
				BatchSize: ptr(32), Epochs: ptr(20), Optimizers: []Optimizer{{Name: "adam", Values: optim.Values{"lr": {0.01}}}}, Judge: tc.judge}
			for b.Loop() {
				if _, err := Run(context.Background(), s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInspect compares a training inspection at the last row with
// training that one optimizer alone (the default example's network on
// moons, 20 epochs of 32-row batches, Adam): the replay runs the same
// loop, so the two should cost about the same; the snapshot adds one
// full-data gradient, one minibatch gradient and two state copies.
func BenchmarkInspect(b *testing.B) {
	s := Spec{
		Dataset: Dataset{Name: "moons"}, Model: model.Spec{Kind: model.MLP, Hidden: []int{8}, Activation: model.Tanh},
		BatchSize: ptrInt(32), Epochs: ptrInt(20), Optimizers: []Optimizer{{Name: "adam"}}, Judge: RestJudge,
	}
	b.Run("train", func(b *testing.B) {
		for b.Loop() {
			if _, err := Run(context.Background(), s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("inspect-last-step", func(b *testing.B) {
		for b.Loop() {
			if _, err := Inspect(context.Background(), s, 0, 139); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func ptrInt(v int) *int { return &v }

// benchToolSpec is a small minibatch training, the kind a page sweeps.
func benchToolSpec() Spec {
	n, bs, epochs := 200, 32, 20
	return Spec{Dataset: Dataset{Name: "moons", N: &n}, Model: model.Spec{Kind: model.MLP, Hidden: []int{8}, Activation: model.Tanh},
		BatchSize: &bs, Epochs: &epochs, Optimizers: []Optimizer{{Name: "adam"}}}
}

// benchLRs are the rates of the sweep benchmarks: under, at and over
// what the network takes.
var benchLRs = []float64{0.001, 0.01, 0.1, 1}

// BenchmarkSweepAsRuns is the baseline of BenchmarkSweep: one Run per
// rate of the same request, slice and all.
func BenchmarkSweepAsRuns(b *testing.B) {
	for b.Loop() {
		for _, lr := range benchLRs {
			s := benchToolSpec()
			s.Optimizers[0].Values = optim.Values{"lr": {lr}}
			if _, err := Run(context.Background(), s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSweep is a sweep of the same rates: the same trainings,
// without the slice, sharing one validated plan.
func BenchmarkSweep(b *testing.B) {
	for b.Loop() {
		if err := Sweep(context.Background(), benchToolSpec(), benchLRs, func(int, int, SweepRow) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
