package landscape_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/landscape"
)

func ExampleLookup() {
	p, ok := landscape.Lookup("himmelblau")
	if !ok {
		return
	}
	fmt.Println(p.Name, "=", p.Formula)
	fmt.Printf("start (%g, %g), lr %g\n", p.Start.X, p.Start.Y, p.LR)
	for _, c := range p.Critical {
		if c.Global {
			fmt.Printf("global minimum at (%.4f, %.4f), f = %g\n", c.At.X, c.At.Y, c.Value)
		}
	}
	// Output:
	// Himmelblau = (x^2 + y - 11)^2 + (x + y^2 - 7)^2
	// start (0, 0), lr 0.01
	// global minimum at (3.0000, 2.0000), f = 0
	// global minimum at (-2.8051, 3.1313), f = 0
	// global minimum at (-3.7793, -3.2832), f = 0
	// global minimum at (3.5844, -1.8481), f = 0
}
