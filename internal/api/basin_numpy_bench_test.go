//go:build unix

package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// restNumPyRounds is how many times BenchmarkBasinRESTNumPy alternates one
// NumPy map, one JSON answer and one binary answer per iteration, so that
// all three see the same load on a shared machine.
const restNumPyRounds = 5

// BenchmarkBasinRESTNumPy times the map (benchBasinSpec: 256² Adam
// on Himmelblau, 500 steps) through POST /api/v1/basins, to the last byte
// of the answer, as JSON and as application/octet-stream, against NumPy
// doing only the vectorised Adam update and gradient for all cells in
// place (bench/basins_numpy.py ... bare, no per-step tests), alternating.
// It reports medians of wall time and of CPU time (the server and client
// here are one process; NumPy is one thread) and the ratios. It needs
// python3 with NumPy (Debian: apt-get install python3-numpy) and skips
// without; run it in a GOEXPERIMENT=simd build to measure the SIMD engine.
func BenchmarkBasinRESTNumPy(b *testing.B) {
	python := ""
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import numpy").Run() == nil {
			python = py
			break
		}
	}
	if python == "" {
		b.Skip("no python3 with numpy (Debian: apt-get install python3-numpy)")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "bench", "basins_numpy.py"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Config{Logger: discard()}))
	defer srv.Close()
	fetch := func(accept string) (wall, cpu float64) {
		t0, c0 := time.Now(), processCPU()
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/basins", strings.NewReader(benchBasinSpec))
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%d %v", res.StatusCode, err)
		}
		return time.Since(t0).Seconds(), (processCPU() - c0).Seconds()
	}
	var npWall, npCPU, jsWall, jsCPU, binWall, binCPU []float64
	for b.Loop() {
		for range restNumPyRounds {
			out, err := exec.Command(python, script, "256", "500", "1", "bare").Output()
			if err != nil {
				b.Fatalf("%s: %v", script, err)
			}
			var np struct {
				Best float64 `json:"best_seconds"`
				CPU  float64 `json:"cpu_seconds"`
			}
			if err := json.Unmarshal(out, &np); err != nil {
				b.Fatalf("%s printed %q: %v", script, out, err)
			}
			npWall, npCPU = append(npWall, np.Best), append(npCPU, np.CPU)
			w, c := fetch("")
			jsWall, jsCPU = append(jsWall, w), append(jsCPU, c)
			w, c = fetch("application/octet-stream")
			binWall, binCPU = append(binWall, w), append(binCPU, c)
		}
	}
	med := func(v []float64) float64 { v = slices.Clone(v); slices.Sort(v); return v[len(v)/2] }
	np, npc := med(npWall), med(npCPU)
	b.ReportMetric(np*1e3, "numpy-ms")
	b.ReportMetric(med(jsWall)*1e3, "json-ms")
	b.ReportMetric(med(binWall)*1e3, "octet-ms")
	b.ReportMetric(np/med(jsWall), "json-speedup")
	b.ReportMetric(np/med(binWall), "octet-speedup")
	b.ReportMetric(npc*1e3, "numpy-cpu-ms")
	b.ReportMetric(med(jsCPU)*1e3, "json-cpu-ms")
	b.ReportMetric(med(binCPU)*1e3, "octet-cpu-ms")
	b.ReportMetric(npc/med(jsCPU), "json-cpu-ratio")
	b.ReportMetric(npc/med(binCPU), "octet-cpu-ratio")
}

// processCPU is the CPU time this process has used, user and system: on a
// shared machine wall time swings with the load, CPU time much less.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
