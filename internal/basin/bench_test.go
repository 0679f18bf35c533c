package basin

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// The benchmark map the engines are held to: Adam (lr 0.05, betas 0.9/0.999, eps 1e-8),
// 500 steps from every point of a 256 x 256 grid over [-5, 5]² of
// Himmelblau, on every core: about 33 million optimizer steps.
const (
	benchSide  = 256
	benchSteps = 500
)

func benchConfig(tb testing.TB, eng Engine) MapConfig {
	him := preset(tb, "himmelblau")
	return MapConfig{
		Func: him.Func, Critical: him.Critical,
		Box: landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}, N: benchSide,
		Optimizer: "adam", Values: optim.Values{"lr": {0.05}, "betas": {0.9, 0.999}, "eps": {1e-8}},
		Steps: benchSteps, Engine: eng,
	}
}

// benchMap computes the benchmark map once and returns the cells.
func benchMap(tb testing.TB, cfg MapConfig) []Cell {
	cells := make([]Cell, cfg.N*cfg.N)
	err := Map(context.Background(), cfg, func(r int, row []Cell) error {
		copy(cells[r*cfg.N:], row)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cells
}

// BenchmarkBasinsAdamHimmelblau times the benchmark map on each engine;
// "auto" is what the server runs. ns/step is wall time per cell and step;
// cpu-ms/map is the CPU time of all workers together, steadier than wall
// time on a shared machine.
func BenchmarkBasinsAdamHimmelblau(b *testing.B) {
	engines := []Engine{Auto, LockStep, Generic}
	if SIMDAvailable() {
		engines = append(engines, SIMD, simdNarrow)
	}
	for _, eng := range engines {
		b.Run(engineName(eng), func(b *testing.B) {
			cfg := benchConfig(b, eng)
			if eng == simdNarrow {
				cfg.Engine = SIMD
				narrowKernel = true
				defer func() { narrowKernel = false }()
			}
			c0 := processCPU()
			for b.Loop() {
				benchMap(b, cfg)
			}
			perMap := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perMap/1e6, "ms/map")
			b.ReportMetric(float64((processCPU()-c0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/map")
			b.ReportMetric(perMap/(benchSide*benchSide*benchSteps), "ns/step")
		})
	}
}

// numpyResult is what bench/basins_numpy.py prints.
type numpyResult struct {
	BestSeconds   float64        `json:"best_seconds"`
	CPUSeconds    float64        `json:"cpu_seconds"`
	MedianSeconds float64        `json:"median_seconds"`
	NumPy         string         `json:"numpy"`
	Counts        map[string]int `json:"counts"`
}

// numpyRounds is how many times BenchmarkBasinsNumPy alternates one NumPy
// map and one Go map per iteration: alternating lets both sides see the
// same machine load, which on a shared machine swings the time of either
// by 2x from one second to the next.
const numpyRounds = 5

// BenchmarkBasinsNumPy runs the same map with NumPy (bench/basins_numpy.py)
// and with Map side by side, alternating, and reports the median time of
// each and their ratio (the best times too), and the CPU time of each. It needs python3 with NumPy
// (Debian: apt-get install python3-numpy) and skips without them; ordinary
// tests never run it.
func BenchmarkBasinsNumPy(b *testing.B) {
	python := findNumPy()
	if python == "" {
		b.Skip("no python3 with numpy (Debian: apt-get install python3-numpy)")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "bench", "basins_numpy.py"))
	if err != nil {
		b.Fatal(err)
	}
	cfg := benchConfig(b, Auto)
	var npTimes, goTimes, npCPU, goCPU []float64
	var np numpyResult
	var cells []Cell
	for b.Loop() {
		for range numpyRounds {
			out, err := exec.Command(python, script, strconv.Itoa(benchSide), strconv.Itoa(benchSteps), "1").Output()
			if err != nil {
				b.Fatalf("%s: %v", script, err)
			}
			if err := json.Unmarshal(out, &np); err != nil {
				b.Fatalf("%s printed %q: %v", script, out, err)
			}
			npTimes = append(npTimes, np.BestSeconds)
			npCPU = append(npCPU, np.CPUSeconds)
			t0, c0 := time.Now(), processCPU()
			cells = benchMap(b, cfg)
			goTimes = append(goTimes, time.Since(t0).Seconds())
			goCPU = append(goCPU, (processCPU() - c0).Seconds())
		}
	}
	counts := map[string]int{}
	for _, c := range cells {
		counts[c.Status.String()]++
	}
	b.Logf("NumPy %s outcomes %v; Go outcomes %v", np.NumPy, np.Counts, counts)
	for _, ts := range [][]float64{npTimes, goTimes, npCPU, goCPU} {
		slices.Sort(ts)
	}
	npMed, goMed := npTimes[len(npTimes)/2], goTimes[len(goTimes)/2]
	b.ReportMetric(npMed*1e3, "numpy-ms/map")
	b.ReportMetric(goMed*1e3, "go-ms/map")
	b.ReportMetric(npMed/goMed, "speedup")
	b.ReportMetric(npTimes[0]*1e3, "numpy-best-ms")
	b.ReportMetric(goTimes[0]*1e3, "go-best-ms")
	b.ReportMetric(npTimes[0]/goTimes[0], "best-speedup")
	// CPU time, summed over Go's worker threads (NumPy uses one): how much
	// computing each map takes, apart from waiting for a core.
	b.ReportMetric(npCPU[len(npCPU)/2]*1e3, "numpy-cpu-ms")
	b.ReportMetric(goCPU[len(goCPU)/2]*1e3, "go-cpu-ms")
}

// findNumPy returns a python3 that can import numpy: the one on PATH, or
// Debian's (a pyenv shim on PATH may hide it), or "".
func findNumPy() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import numpy").Run() == nil {
			return py
		}
	}
	return ""
}

// BenchmarkBasinsNoisy times a noisy map (SGD, lr 0.05, gradient noise 4,
// 500 steps, on a 64 x 64 grid of the double-well) and the same map
// without noise, both on the generic engine, the only one that runs noise:
// cpu-ms/map side by side show what judging noisy outcomes (a descent per
// point of each cell's final stay) costs on top of the steps.
func BenchmarkBasinsNoisy(b *testing.B) {
	dw := preset(b, "double-well")
	for _, noise := range []float64{0, 4} {
		b.Run("noise="+strconv.FormatFloat(noise, 'g', -1, 64), func(b *testing.B) {
			cfg := MapConfig{Func: dw.Func, Critical: dw.Critical, Box: dw.Domain, N: 64,
				Optimizer: "sgd", Values: optim.Values{"lr": {0.05}}, Steps: benchSteps, Noise: noise, Seed: 1, Engine: Generic}
			c0 := processCPU()
			for b.Loop() {
				benchMap(b, cfg)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/map")
			b.ReportMetric(float64((processCPU()-c0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/map")
		})
	}
}

// BenchmarkBasinsTrig times 256² maps of 500 steps of the presets built on
// sines, cosines and exponentials, Rastrigin and Ackley over their own
// boxes at their own learning rates, with Adam and with SGD (momentum
// 0.9), on the SIMD engine (and its 4-wide kernel) against the lock-step
// engine (the scalar path the same maps took before they had a vector
// form), alternating them in every iteration so all see the same load. It
// reports each side's median wall and CPU time per map and the ratios
// lock-step / SIMD.
func BenchmarkBasinsTrig(b *testing.B) {
	if !SIMDAvailable() {
		b.Skip("no SIMD engine in this build or on this CPU")
	}
	for _, id := range []string{"rastrigin", "ackley"} {
		for _, opt := range []struct {
			name   string
			values func(lr float64) optim.Values
		}{
			{"adam", func(lr float64) optim.Values { return optim.Values{"lr": {lr}} }},
			{"sgd", func(lr float64) optim.Values { return optim.Values{"lr": {lr}, "momentum": {0.9}} }},
		} {
			b.Run(id+"/"+opt.name, func(b *testing.B) {
				p := preset(b, id)
				cfg := MapConfig{Func: p.Func, Critical: p.Critical, Box: p.Domain, N: benchSide,
					Optimizer: opt.name, Values: opt.values(p.LR), Steps: benchSteps}
				if vecGradOf(p.Func) == nil {
					b.Skip("no vector form of this preset in this build or on this CPU")
				}
				var wall, cpu [3][]float64 // lock-step, SIMD, SIMD 4-wide
				for b.Loop() {
					for i, eng := range []Engine{LockStep, SIMD, simdNarrow} {
						cfg.Engine = eng
						t0, c0 := time.Now(), processCPU()
						computeMap(b, cfg)
						wall[i] = append(wall[i], time.Since(t0).Seconds())
						cpu[i] = append(cpu[i], (processCPU() - c0).Seconds())
					}
				}
				med := func(xs []float64) float64 { slices.Sort(xs); return xs[len(xs)/2] }
				lw, sw, lc, sc, nc := med(wall[0]), med(wall[1]), med(cpu[0]), med(cpu[1]), med(cpu[2])
				b.ReportMetric(lw*1e3, "lockstep-ms/map")
				b.ReportMetric(sw*1e3, "simd-ms/map")
				b.ReportMetric(lc*1e3, "lockstep-cpu-ms")
				b.ReportMetric(sc*1e3, "simd-cpu-ms")
				b.ReportMetric(nc*1e3, "simd4-cpu-ms")
				b.ReportMetric(lw/sw, "speedup")
				b.ReportMetric(lc/sc, "cpu-speedup")
				b.ReportMetric(lc/nc, "cpu-speedup4")
			})
		}
	}
}
