package expr

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
)

// TestNoImplicitFMA compiles the package for targets where Go fuses a*b+c
// into one instruction and checks that it never does here. Closures inline
// the dual-number helpers, so a product one helper returns meets the sum of
// another in the same function, where the compiler may fuse them unless the
// product is rounded explicitly with float64(). A fused result differs in
// the last bit from the tree walk and from amd64, and permalinks promise the
// same bits everywhere.
func TestNoImplicitFMA(t *testing.T) {
	if testing.Short() || os.Getenv("BASIN_CROSS_CHECKS") == "" {
		t.Skip("cross-compiles the package and its standard library (minutes on a cold cache); set BASIN_CROSS_CHECKS=1 to run it, as CI does")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	fma := regexp.MustCompile(`\s(FMADDD|FMSUBD|FNMADDD|FNMSUBD|FMADD|FMSUB|FNMADD|FNMSUB|VFN?M(ADD|SUB)\d+[SP]D)\s`)
	for _, env := range [][]string{
		{"GOARCH=arm64"},
		{"GOARCH=ppc64le"},
		{"GOARCH=amd64", "GOAMD64=v3"},
	} {
		cmd := exec.Command(gobin, "build", "-gcflags=-S", "-o", os.DevNull, ".")
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v go build: %v\n%s", env, err, out.String())
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if line := sc.Text(); fma.MatchString(line) {
				t.Errorf("%v: fused multiply-add: %s", env, line)
			}
		}
	}
}
