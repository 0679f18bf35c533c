package basin

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/cpucheck"
)

// TestNoImplicitFMA compiles the package for targets where Go fuses a*b+c
// into one instruction (arm64, amd64 with GOAMD64=v3, and the SIMD build)
// and checks that every fused multiply-add in the engines' source sits on a
// line that asks for one (math.FMA or MulAdd, mirroring optim's explicit
// fusions), and that each such line does compile to one. Any other fusion
// would round differently from optim.Run and break bit-identity.
func TestNoImplicitFMA(t *testing.T) {
	pos := regexp.MustCompile(`\((?:[^()]*/)?((?:lockstep|simd_on|simd_avx2|simd_math)\.go):(\d+)\)`)
	asked := map[string]map[int]bool{}
	for _, file := range []string{"lockstep.go", "simd_on.go", "simd_avx2.go", "simd_math.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		asked[file] = map[int]bool{}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "math.FMA(") || strings.Contains(line, ".MulAdd(") {
				asked[file][i+1] = true
			}
		}
	}
	for _, tc := range []struct {
		env   []string
		files []string // files whose asked-for lines must all fuse
	}{
		{[]string{"GOARCH=arm64", "GOEXPERIMENT="}, []string{"lockstep.go"}},
		{[]string{"GOARCH=amd64", "GOAMD64=v3", "GOEXPERIMENT="}, []string{"lockstep.go"}},
		{[]string{"GOARCH=amd64", "GOAMD64=v3", "GOEXPERIMENT=simd"}, []string{"lockstep.go", "simd_on.go", "simd_avx2.go", "simd_math.go"}},
	} {
		fused := map[string]map[int]bool{"lockstep.go": {}, "simd_on.go": {}, "simd_avx2.go": {}, "simd_math.go": {}}
		for _, line := range cpucheck.FusedLines(t, tc.env...) {
			m := pos.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[2])
			fused[m[1]][n] = true
			if !asked[m[1]][n] {
				t.Errorf("%v: fused multiply-add nobody asked for at %s:%d: %s", tc.env, m[1], n, line)
			}
		}
		for _, file := range tc.files {
			for n := range asked[file] {
				if !fused[file][n] {
					t.Errorf("%v: %s:%d asks for a fused multiply-add but compiles without one", tc.env, file, n)
				}
			}
		}
	}
}

// TestKernelHasNoLegacySSE compiles the SIMD build and checks that the hot
// loops (simdWorker.steps and its 4-wide twin steps4, and the vector
// functions they call) contain no legacy SSE instruction: no scalar
// float64 held or tested in the loop. Mixing legacy SSE with AVX-512 code
// made the kernel nine times slower on the development machine (one
// `momentum != 0` evaluated in the loop was enough).
func TestKernelHasNoLegacySSE(t *testing.T) {
	legacy := regexp.MustCompile(`\s(MOVSD|MOVSS|MOVUPS|MOVAPS|MOVQ\s+X\d+|UCOMISD|COMISD|XORPS|ANDPS|ADDSD|SUBSD|MULSD|DIVSD|SQRTSD|CVT\w+SD|CVTSD\w+|PXOR)\s`)
	in, lines := false, map[string]int{}
	fn := ""
	// The hot loops, and the functions they call that are too large to
	// be inlined into them.
	methods := []string{"steps", "steps4"}
	var funcs []string
	for _, name := range []string{"sincos", "expFMA", "ackleyGrad", "levy13Grad"} {
		funcs = append(funcs, name+"8", name+"4")
	}
	for _, line := range cpucheck.Assembly(t, "GOARCH=amd64", "GOEXPERIMENT=simd") {
		if strings.Contains(line, " STEXT") {
			fn = ""
			for _, name := range methods {
				if strings.Contains(line, "(*simdWorker)."+name+" STEXT") {
					fn = name
				}
			}
			for _, name := range funcs {
				if strings.Contains(line, "basin."+name+" STEXT") {
					fn = name
				}
			}
			in = fn != ""
			continue
		}
		if !in {
			continue
		}
		lines[fn]++
		if legacy.MatchString(line) {
			t.Errorf("legacy SSE instruction in the SIMD kernel: %s", strings.TrimSpace(line))
		}
	}
	for _, name := range methods {
		if lines[name] < 100 {
			t.Errorf("found %d lines of simdWorker.%s in the assembly; the check sees nothing", lines[name], name)
		}
	}
	for _, name := range funcs {
		if lines[name] == 0 {
			t.Logf("%s is inlined everywhere (or gone)", name)
		}
	}
}

// TestAVX2KernelUpToDate regenerates the 4-wide kernel from simd_on.go
// (gen_avx2.py) and checks that simd_avx2.go is what it gives, so the two
// kernels cannot drift apart. It needs python3 and skips without it.
func TestAVX2KernelUpToDate(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	out := filepath.Join(t.TempDir(), "simd_avx2.go")
	if b, err := exec.Command("python3", "gen_avx2.py", out).CombinedOutput(); err != nil {
		t.Fatalf("gen_avx2.py: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("simd_avx2.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("simd_avx2.go is stale: run go generate (python3 gen_avx2.py) in internal/basin")
	}
}
