package train

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// torchRounds is how many times the PyTorch benchmarks alternate one
// PyTorch measurement and one Go measurement per iteration, so that both
// sides see the same load on a shared machine.
const torchRounds = 5

// torchStepSteps is how many steps one timed unit of the step benchmark
// runs; torchCheckSteps how many both sides run from the same start to
// prove they compute the same thing.
const (
	torchStepSteps  = 2000
	torchCheckSteps = 50
)

type torchResult struct {
	Torch   string    `json:"torch"`
	Threads int       `json:"threads"`
	Best    float64   `json:"best_seconds"`
	Median  float64   `json:"median_seconds"`
	CPU     float64   `json:"cpu_seconds"`
	Check   []float64 `json:"check"`
}

// runTorch runs bench/train_torch.py on the input and decodes its answer;
// it skips the benchmark without Debian's python3-torch.
func runTorch(b *testing.B, mode string, input any) torchResult {
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import torch").Run() != nil {
		b.Skip("no /usr/bin/python3 with torch (Debian: apt-get install python3-torch)")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "bench", "train_torch.py"))
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.CreateTemp(b.TempDir(), "input-*.json")
	if err != nil {
		b.Fatal(err)
	}
	if err := json.NewEncoder(f).Encode(input); err != nil {
		b.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(python, script, mode, f.Name(), "1").Output()
	if err != nil {
		b.Fatalf("%s %s: %v", script, mode, err)
	}
	var r torchResult
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("%s printed %.200q: %v", script, out, err)
	}
	return r
}

func checkSame(b *testing.B, what string, got, want []float64) {
	if len(got) != len(want) {
		b.Fatalf("%s: %d values, PyTorch %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
			b.Fatalf("%s[%d]: Go %.17g, PyTorch %.17g", what, i, got[i], want[i])
		}
	}
}

// reportRatio reports both sides' median wall time per unit and the ratio
// of the medians (and of the best times).
func reportRatio(b *testing.B, unit string, torch, goTimes, torchCPU, goCPU []float64) {
	for _, ts := range [][]float64{torch, goTimes, torchCPU, goCPU} {
		slices.Sort(ts)
	}
	tm, gm := torch[len(torch)/2], goTimes[len(goTimes)/2]
	b.ReportMetric(tm*1e6, "torch-µs/"+unit)
	b.ReportMetric(gm*1e6, "go-µs/"+unit)
	b.ReportMetric(tm/gm, "speedup")
	b.ReportMetric(torch[0]/goTimes[0], "speedup-best")
	b.ReportMetric(torchCPU[len(torchCPU)/2]/goCPU[len(goCPU)/2], "speedup-cpu")
}

// BenchmarkTorchStep times a training step of the 2-16-16-1 ReLU network
// on a 32-row minibatch with Adam in PyTorch (bench/train_torch.py step)
// and in Go (model.Workspace.LossGrad and optim's vector Adam), alternating,
// after checking that 50 steps from the same start give the same
// parameters on both sides. It execs /usr/bin/python3 with torch and skips
// without it; no test runs it.
func BenchmarkTorchStep(b *testing.B) {
	set := benchSet(b)
	m, _ := model.New(benchNet, set.Task)
	init := m.Init(1)
	batch := make([]int, benchBatch)
	for i := range batch {
		batch[i] = (i * 31) % set.Rows()
	}
	x := make([][]float64, set.Rows())
	for i := range x {
		x[i] = set.Row(i)
	}
	input := map[string]any{"x": x, "y": set.Y, "init": init, "batch": batch, "steps": torchStepSteps, "check_steps": torchCheckSteps}
	ws := m.NewWorkspace()
	grad := make([]float64, len(init))
	run := func(steps int) []float64 {
		p := slices.Clone(init)
		opt, _, _ := optim.NewVec("adam", optim.Values{"lr": {0.01}}, len(p))
		for range steps {
			ws.LossGrad(p, grad, set, batch)
			opt.StepVec(p, grad)
		}
		return p
	}
	var torch, goTimes, torchCPU, goCPU []float64
	for b.Loop() {
		for range torchRounds {
			r := runTorch(b, "step", input)
			checkSame(b, "params after 50 steps", run(torchCheckSteps), r.Check)
			torch, torchCPU = append(torch, r.Median), append(torchCPU, r.CPU)
			t0, c0 := time.Now(), processCPU()
			run(torchStepSteps)
			goTimes = append(goTimes, time.Since(t0).Seconds()/torchStepSteps)
			goCPU = append(goCPU, (processCPU()-c0).Seconds()/torchStepSteps)
		}
	}
	reportRatio(b, "step", torch, goTimes, torchCPU, goCPU)
}

// BenchmarkTorchSlice times the 64 x 64 grid of full-data losses of the
// 2-16-16-1 ReLU network on 1,000 rows in PyTorch, batched over the grid
// nodes (bench/train_torch.py grid), and in Go (sliceLoss on all cores),
// alternating, after checking every node's value agrees to 1e-9. It execs
// /usr/bin/python3 with torch and skips without it; no test runs it.
func BenchmarkTorchSlice(b *testing.B) {
	set := benchSet(b)
	m, _ := model.New(benchNet, set.Task)
	sl := SliceResult{Origin: m.Init(1), D1: m.Init(2), D2: m.Init(3)}
	box := [4]float64{-1, 1, -1.5, 0.5}
	x := make([][]float64, set.Rows())
	for i := range x {
		x[i] = set.Row(i)
	}
	input := map[string]any{"x": x, "y": set.Y, "origin": sl.Origin, "d1": sl.D1, "d2": sl.D2, "box": box, "n": benchGrid}
	var torch, goTimes, torchCPU, goCPU []float64
	for b.Loop() {
		for range torchRounds {
			r := runTorch(b, "grid", input)
			torch, torchCPU = append(torch, r.Median), append(torchCPU, r.CPU)
			t0, c0 := time.Now(), processCPU()
			values, err := sliceLoss(context.Background(), m, set, sl, box, benchGrid, benchGrid)
			if err != nil {
				b.Fatal(err)
			}
			goTimes = append(goTimes, time.Since(t0).Seconds())
			goCPU = append(goCPU, (processCPU() - c0).Seconds())
			checkSame(b, "grid", values, r.Check)
		}
	}
	reportRatio(b, "grid", torch, goTimes, torchCPU, goCPU)
}

// processCPU is the CPU time this process has used, all threads.
func processCPU() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// Fields 14 and 15 (utime, stime) in clock ticks, after the
	// parenthesised command name.
	s := string(b)
	i := len(s) - 1
	for i >= 0 && s[i] != ')' {
		i--
	}
	var fields []string
	start := -1
	for j := i + 2; j <= len(s); j++ {
		if j == len(s) || s[j] == ' ' {
			if start >= 0 {
				fields = append(fields, s[start:j])
			}
			start = -1
		} else if start < 0 {
			start = j
		}
	}
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * (time.Second / 100)
}
