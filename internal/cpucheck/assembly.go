// Package cpucheck holds the test helpers that check how Basin's numeric
// code runs on the CPU: which instructions the compiler emits (a fused
// multiply-add rounds differently from a multiply and an add, and
// trajectories promise the same bits on every machine), and whether code
// stays correct when a preemption leaves the vector registers' upper halves
// dirty. Only tests import it.
package cpucheck

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// CrossChecksEnv names the environment variable that turns on the checks
// that compile the package for other targets.
const CrossChecksEnv = "BASIN_CROSS_CHECKS"

// FusedMultiplyAdd matches an assembly line that holds a fused
// multiply-add: arm64's and ppc64's scalar forms and amd64's VFMADD family,
// scalar and packed.
var FusedMultiplyAdd = regexp.MustCompile(`\s(FMADDD|FMSUBD|FNMADDD|FNMSUBD|FMADD|FMSUB|FNMADD|FNMSUB|VFN?M(ADD|SUB)\d+[SP]D)\s`)

// Assembly compiles the package in the test's directory with env added to
// the environment (GOARCH, GOAMD64, GOEXPERIMENT) and returns its assembly
// listing, line by line. A cross-compilation rebuilds the standard library
// for its target, minutes on a cold cache, so it runs only when
// BASIN_CROSS_CHECKS=1 (CI sets it; the README's plain `go test ./...` does
// not) and never in -short mode.
func Assembly(t testing.TB, env ...string) []string {
	t.Helper()
	if testing.Short() || os.Getenv(CrossChecksEnv) != "1" {
		t.Skipf("compiles the package's assembly for %v (minutes on a cold cache); set %s=1 to run it, as CI does", env, CrossChecksEnv)
	}
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-gcflags=-S", "-o", os.DevNull, ".")
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v go build: %v\n%s", env, err, out.String())
	}
	var lines []string
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// FusedLines returns the lines of the package's assembly for env that hold
// a fused multiply-add, trimmed.
func FusedLines(t testing.TB, env ...string) []string {
	t.Helper()
	var fused []string
	for _, line := range Assembly(t, env...) {
		if FusedMultiplyAdd.MatchString(line) {
			fused = append(fused, strings.TrimSpace(line))
		}
	}
	return fused
}
