package cost

import (
	"strconv"
	"strings"
	"sync"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// This file is the per-operation table that prices an expression from its
// canonical form, until the expression compiler prices its own compiled
// operations (EvalCoster). Entries are nanoseconds of one value and its
// gradient (dual numbers) on the reference core, rounded up from
// internal/landscape/expr's benchmarks; arithmetic is priced as written,
// although the compiler folds some of it, so simple expressions are
// overpriced up to about 2.5x and transcendental ones priced about right.

// exprCallNanos is the call into a compiled expression, paid once per
// evaluation.
const exprCallNanos = 3

// opNanos prices each operator and function of the expression language.
var opNanos = map[string]float64{
	"leaf": 0.5, // x, y, a number, pi, e
	"+":    1.5, "-": 1.5, "*": 2, "/": 5,
	"^small": 2,  // x^2, x^3: a multiplication or two
	"^const": 35, // other constant exponents: math.Pow
	"^":      55, // variable exponents: exp and log
	"sin":    18, "cos": 18, "tan": 20,
	"asin": 20, "acos": 20, "atan": 20, "atan2": 30,
	"sinh": 25, "cosh": 25, "tanh": 25,
	"exp": 12, "log": 12, "log10": 12, "sqrt": 6,
	"abs": 3, "min": 3, "max": 3, "sigmoid": 16,
}

// ExprNanos prices one value-and-gradient evaluation of the expression src
// (best given in canonical form, as (*expr.Func).String prints it) by
// summing opNanos over its tokens. It never fails: a token it does not
// know is priced as the dearest function.
func ExprNanos(src string) float64 {
	ns := float64(exprCallNanos)
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '(' || c == ')' || c == ',':
			i++
		case c == '^':
			i++
			for i < len(src) && src[i] == ' ' {
				i++
			}
			j := i
			for j < len(src) && (isDigit(src[j]) || src[j] == '.') {
				j++
			}
			k, err := strconv.ParseFloat(src[i:j], 64)
			switch {
			case j > i && err == nil && (k == 2 || k == 3) && (j == len(src) || !isIdent(src[j])):
				ns += opNanos["^small"]
			case j > i && err == nil && (j == len(src) || !isIdent(src[j])):
				ns += opNanos["^const"]
			default:
				ns += opNanos["^"]
			}
		case strings.IndexByte("+-*/", c) >= 0:
			ns += opNanos[string(c)]
			i++
		case isDigit(c) || c == '.':
			for i < len(src) && (isDigit(src[i]) || src[i] == '.' || src[i] == 'e' || src[i] == 'E' ||
				((src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E'))) {
				i++
			}
			ns += opNanos["leaf"]
		case isIdent(c):
			j := i
			for j < len(src) && (isIdent(src[j]) || isDigit(src[j])) {
				j++
			}
			name := strings.ToLower(src[i:j])
			i = j
			switch name {
			case "x", "y", "pi", "e":
				ns += opNanos["leaf"]
			case "ln":
				ns += opNanos["log"]
			case "pow":
				ns += opNanos["^"]
			default:
				if v, ok := opNanos[name]; ok {
					ns += v
				} else {
					ns += maxFuncNanos
				}
			}
		default:
			ns += maxFuncNanos
			i++
		}
	}
	return ns
}

// maxFuncNanos prices what the table does not know.
const maxFuncNanos = 50

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isIdent(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

// isExpr reports whether fn is a compiled expression.
func isExpr(fn landscape.Function) bool {
	_, ok := fn.(*expr.Func)
	return ok
}

// presetNanos prices each preset as its formula typed as an expression:
// the hand-written presets are faster than that (2–2.6x for Rosenbrock,
// Himmelblau and Ackley, docs/BENCHMARKS.md), so their jobs are overpriced,
// never under.
var presetNanos = sync.OnceValue(func() map[string]float64 {
	m := make(map[string]float64)
	for _, p := range landscape.Presets() {
		m[p.ID] = ExprNanos(p.Formula)
	}
	return m
})
