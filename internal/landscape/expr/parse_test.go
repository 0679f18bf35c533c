package expr

import (
	"errors"
	"strings"
	"testing"
)

func TestParseGood(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"sum", "x+y", "x + y"},
		{"spaces and case", "  SIN( X )  +  Pi ", "sin(x) + pi"},
		{"power binds tighter than minus", "-x^2", "-x^2"},
		{"power of negation", "(-x)^2", "(-x)^2"},
		{"power is right-associative", "x^y^2", "x^y^2"},
		{"left-grouped power keeps parens", "(x^y)^2", "(x^y)^2"},
		{"double star", "x**2", "x^2"},
		{"negative exponent", "2^-1", "2^-1"},
		{"negative exponent of power", "x^-y^2", "x^-y^2"},
		{"implicit number name", "2x", "2*x"},
		{"implicit number paren", "3(x+1)", "3*(x + 1)"},
		{"implicit names with space", "x y", "x*y"},
		{"implicit parens", "(x+1)(y-1)", "(x + 1)*(y - 1)"},
		{"implicit function", "2sin(x)", "2*sin(x)"},
		{"adjacent letters split", "xy", "x*y"},
		{"split with pi", "2pix", "2*pi*x"},
		{"split before power", "xy^2", "x*y^2"},
		{"exponent takes one factor", "2^3x", "2^3*x"},
		{"e to a product", "e^2x", "e^2*x"},
		{"division then juxtaposition", "1/2x", "1/2*x"},
		{"number then e", "2e", "2*e"},
		{"exponent literal", "1e3", "1000"},
		{"exponent literal upper", "2.5E-3", "0.0025"},
		{"exponent literal minus then name", "2e-x", "2*e - x"},
		{"leading dot", ".5x", "0.5*x"},
		{"trailing dot", "5.", "5"},
		{"unary plus", "+x", "x"},
		{"double minus", "x - -y", "x - -y"},
		{"minus after times", "x*-y", "x*-y"},
		{"subtraction is left-associative", "x-y-1", "x - y - 1"},
		{"right sum keeps parens", "x-(y-1)", "x - (y - 1)"},
		{"division right keeps parens", "x/(y*2)", "x/(y*2)"},
		{"pow function is power", "pow(x, 2)", "x^2"},
		{"ln is log", "ln(x)", "log(x)"},
		{"two-argument functions", "atan2(y, x) + min(x, y) - max(x,y)", "atan2(y, x) + min(x, y) - max(x, y)"},
		{"nested calls", "sigmoid(sqrt(abs(x)))", "sigmoid(sqrt(abs(x)))"},
		{"unicode operators", "x−y×2÷π", "x - y*2/pi"},
		{"tabs and newlines", "x\t+\ny", "x + y"},
		{"rosenbrock", "(1-x)^2 + 100(y-x^2)^2", "(1 - x)^2 + 100*(y - x^2)^2"},
		{"ackley", "-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20",
			"-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20"},
		{"tiny literal", "5e-324", "5e-324"},
		{"largest literal", "1.7976931348623157e308", "1.7976931348623157e+308"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.want)
			}
			again, err := Parse(e.String())
			if err != nil || !again.Equal(e) {
				t.Errorf("canonical form %q does not re-parse to the same tree (err %v)", e.String(), err)
			}
		})
	}
}

// TestParseEquivalent checks forms that must give the very same tree.
func TestParseEquivalent(t *testing.T) {
	tests := [][2]string{
		{"2x", "2*x"},
		{"xy", "x*y"},
		{"x y", "x*y"},
		{"2^3x", "(2^3)*x"},
		{"-x^2", "-(x^2)"},
		{"x^y^2", "x^(y^2)"},
		{"1/2x", "(1/2)*x"},
		{"e^2x", "(e^2)*x"},
		{"2sin(x)", "2*sin(x)"},
		{"pow(x, y)", "x^y"},
		{"SIN(X)", "sin(x)"},
		{"x**2", "x^2"},
		{"(x)", "x"},
		{"2xy", "2*x*y"},
		{"-2x", "(-2)*x"},
	}
	for _, tt := range tests {
		a, err := Parse(tt[0])
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt[0], err)
		}
		b, err := Parse(tt[1])
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt[1], err)
		}
		if !a.Equal(b) {
			t.Errorf("%q parsed as %q, want the tree of %q (%q)", tt[0], a, tt[1], b)
		}
	}
}

func TestParseBad(t *testing.T) {
	long := strings.Repeat("x+", 300) + "x"
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "empty expression at 1 (try x^2 + y^2)"},
		{"blank", "   ", "empty expression at 1 (try x^2 + y^2)"},
		{"end after operator", "x+", "unexpected end of expression at 3"},
		{"end after power", "2^", "unexpected end of expression at 3"},
		{"end after minus", "-", "unexpected end of expression at 2"},
		{"missing close", "(x+1", `missing ")" at 5 (to close "(" at 1)`},
		{"missing close in call", "sin(x", `missing ")" at 6 (to close "(" at 4)`},
		{"missing close nested", "((x)", `missing ")" at 5 (to close "(" at 1)`},
		{"extra close", "x)", `unexpected ")" at 2`},
		{"empty parens", "()", `unexpected ")" at 2`},
		{"unknown function", "x + sinn(x)", `unknown function "sinn" at 5 (did you mean sin?)`},
		{"unknown function far", "foo(x)", `unknown function "foo" at 1`},
		{"unknown function arcsin", "arcsin(x)", `unknown function "arcsin" at 1 (did you mean asin?)`},
		{"unknown variable", "z+1", `unknown variable "z" at 1 (the variables are x and y)`},
		{"unknown variable upper", "x+Z", `unknown variable "z" at 3 (the variables are x and y)`},
		{"function without parens", "sinx", `unknown variable "sinx" at 1 (did you mean sin(x)?)`},
		{"function name alone", "sin x", `missing "(" after sin at 5 (write sin(x))`},
		{"name then digits", "x2", `unknown variable "x2" at 1 (write x*2 for a product)`},
		{"space before exponent-like name", "1 e3", `unknown variable "e3" at 3 (write e*3 for a product)`},
		{"number after name", "x 2", "missing operator before 2 at 3 (a number must come first in a product: write 2x or x*2)"},
		{"number after paren", "(x)2", "missing operator before 2 at 4 (a number must come first in a product: write 2x or x*2)"},
		{"two numbers", "1.2.3", "missing operator before .3 at 4 (a number must come first in a product: write 2x or x*2)"},
		{"lone dot", "x+.", `unexpected "." at 3`},
		{"double operator", "x*/y", `"/" needs a value before it at 3`},
		{"leading operator", "*x", `"*" needs a value before it at 1`},
		{"triple star", "x***y", `"*" needs a value before it at 4`},
		{"comma outside call", "x,y", `unexpected "," at 2 (commas separate the arguments of min, max, atan2 and pow)`},
		{"too few arguments", "atan2(y)", "atan2 takes 2 arguments, got 1 at 1"},
		{"too many arguments", "sin(x, y)", "sin takes 1 argument, got 2 at 1"},
		{"no arguments", "max()", "max takes 2 arguments, got 0 at 1"},
		{"huge literal", "x + 1e400", "number 1e400 is too large at 5 (the largest is about 1.8e308)"},
		{"underflowing literal", "1e-400x", "number 1e-400 is too small at 1 (it would round to 0; the smallest is about 5e-324)"},
		{"unexpected character", "x $ y", `unexpected character '$' at 3`},
		{"superscript", "x²", `unexpected character '²' at 2 (write ^2)`},
		{"unicode letter", "x+é", `unexpected character 'é' at 3`},
		{"invalid utf8", "x+\xff", "invalid UTF-8 text at 3"},
		{"too long", long, "expression too long: 601 characters, at most 500 at 501"},
		{"too deep", strings.Repeat("(", 70) + "x" + strings.Repeat(")", 70), "expression nested too deeply at 65 (at most 64 levels)"},
		{"too deep unary", strings.Repeat("-", 80) + "x", "expression nested too deeply at 65 (at most 64 levels)"},
		{"too many nodes", strings.Repeat("x", 400), "expression too large at 301 (at most 600 numbers, names and operations)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want error %q", tt.src, e, tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not *Error", tt.src, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q) error\n got %s\nwant %s", tt.src, got, tt.want)
			}
			if pe.Pos < 1 || pe.Pos > MaxLength+1 {
				t.Errorf("position %d out of range", pe.Pos)
			}
			if _, err := Compile(tt.src); err == nil || err.Error() != tt.want {
				t.Errorf("Compile(%q) error = %v, want the parse error", tt.src, err)
			}
		})
	}
}

func TestCaret(t *testing.T) {
	tests := []struct{ src, want string }{
		{"x + sinn(x)", "x + sinn(x)\n    ^"},
		{"(x+1", "(x+1\n    ^"},
		{"π + sinn(x)", "π + sinn(x)\n    ^"},
		{"x\t+ z", "x + z\n    ^"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q) = %v, want *Error", tt.src, err)
		}
		if got := pe.Caret(); got != tt.want {
			t.Errorf("Caret for %q:\n%s\nwant\n%s", tt.src, got, tt.want)
		}
	}
}
