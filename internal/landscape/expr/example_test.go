package expr_test

import (
	"errors"
	"fmt"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// A typed function compiles to a landscape.Function with an exact gradient;
// a mistake comes back with its position and a caret line for the page.
func ExampleCompile() {
	f, err := expr.Compile("(1-x)^2 + 100(y-x^2)^2")
	if err != nil {
		panic(err)
	}
	v, g := f.ValueGrad(landscape.Vec{X: -1.2, Y: 1})
	fmt.Printf("f = %.4g, grad = (%.4g, %.4g)\n", v, g.X, g.Y)
	fmt.Println(f)

	_, err = expr.Compile("x + sinn(x)")
	var pe *expr.Error
	if errors.As(err, &pe) {
		fmt.Println(pe)
		fmt.Println(pe.Caret())
	}
	// Output:
	// f = 24.2, grad = (-215.6, -88)
	// (1 - x)^2 + 100*(y - x^2)^2
	// unknown function "sinn" at 5 (did you mean sin?)
	// x + sinn(x)
	//     ^
}
