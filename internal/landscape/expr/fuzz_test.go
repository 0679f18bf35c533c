package expr

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/basin-dev/basin/internal/landscape"
)

// canonicalLimit bounds the canonical form: each of at most MaxNodes nodes
// prints as a few characters ("1.2345678901234567e-300" is the longest).
const canonicalLimit = 30 * MaxNodes

// FuzzParse parses anything, and for what parses: prints, re-parses to an
// equal tree, compiles and evaluates. Nothing may panic; errors must point
// inside the input.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		" ",
		strings.Repeat("(", 10000) + "x" + strings.Repeat(")", 10000),
		strings.Repeat("(", 64) + "x" + strings.Repeat(")", 64),
		strings.Repeat("(", 10000),
		"x^x^x^x^x^x^x^x",
		"x**x**x**x**x**x**x**x",
		strings.Repeat("-", 10000) + "x",
		strings.Repeat("x", 10000),
		strings.Repeat("xy", 250),
		strings.Repeat("x+", 249) + "x",
		"1e400", "1e-400", "1e308*10", "-1e308*1e308", "9" + strings.Repeat("9", 400),
		"0." + strings.Repeat("0", 400) + "1",
		"5e-324", "1.7976931348623157e308",
		"π×x−y÷2", "x²", "日本語", "x + \u00a0y", "\xff\xfe", "x\x00y",
		"(1-x)^2 + 100(y-x^2)^2",
		"-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20",
		"sinn(x)", "sin x", "sinx", "atan2(y)", "min(x,y,x)", "max()", "x,y", "()", "(x", "x)",
		"log(-1) + x", "sqrt(x)", "1/0", "0/0*x", "x^-0.5", "abs(x)", "2^3x", "1/2x", "e^2x", "2e", "1 e3",
		"SIN(X)+COS(Y)", "pow(x, pow(y, x))", "sigmoid(1000x)", "--x", "+-+-x", "x***y", ".5.5", "..",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *Error", err)
			}
			n := utf8.RuneCountInString(pe.Src)
			if pe.Pos < 1 || pe.Pos > n+1 {
				t.Fatalf("position %d outside 1..%d for %q: %v", pe.Pos, n+1, src, err)
			}
			_ = pe.Caret()
			return
		}
		fn, err := e.Compile()
		if err != nil {
			t.Fatalf("parsed but did not compile: %q: %v", src, err)
		}
		printed := e.String()
		again, perr := parseLimit(printed, canonicalLimit)
		if perr != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", printed, src, perr)
		}
		if !again.Equal(e) {
			t.Fatalf("canonical form %q of %q parses to a different tree %q", printed, src, again)
		}
		if again.String() != printed {
			t.Fatalf("printing is not stable: %q then %q", printed, again)
		}
		for _, p := range []landscape.Vec{{}, {X: 1, Y: -1}, {X: -2.5, Y: 3.75}, {X: 1e300, Y: -1e-300}} {
			v, g := fn.ValueGrad(p)
			if w := fn.Value(p); !same(v, w) {
				t.Fatalf("%q at %v: Value %v, ValueGrad %v", src, p, w, v)
			}
			want := walk(e.root, p)
			// Where the value is not finite the gradient is not meaningful
			// (docs/EXPRESSIONS.md; a constant's is 0 once folded, while
			// the walk multiplies Inf by 0), so only the value is compared.
			finite := !math.IsNaN(v) && !math.IsInf(v, 0)
			if !same(v, want.v) || finite && (!same(g.X, want.dx) || !same(g.Y, want.dy)) {
				t.Fatalf("%q at %v: compiled (%v, %v, %v), tree walk (%v, %v, %v)", src, p, v, g.X, g.Y, want.v, want.dx, want.dy)
			}
		}
	})
}
