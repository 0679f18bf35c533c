package optim_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// ExampleNew builds Adam with two hyperparameters given; New fills the
// rest with PyTorch's defaults and reports what it resolved. A bad value
// comes back as a *ParamError naming the parameter and its range.
func ExampleNew() {
	opt, resolved, err := optim.New("adam", optim.Values{"lr": {0.1}, "betas": {0.8, 0.99}})
	if err != nil {
		panic(err)
	}
	fmt.Println("eps", resolved["eps"], "amsgrad", resolved["amsgrad"])

	// One step on f(x, y) = x^2 + y^2 from (1, -2): Adam's first step moves
	// each coordinate by about lr, whatever the gradient's size.
	p := landscape.Vec{X: 1, Y: -2}
	p = opt.Step(p, landscape.Vec{X: 2 * p.X, Y: 2 * p.Y})
	fmt.Printf("%.6f %.6f\n", p.X, p.Y)

	_, _, err = optim.New("adam", optim.Values{"betas": {0.9, 1}})
	fmt.Println(err)
	// Output:
	// eps [1e-08] amsgrad [0]
	// 0.900000 -1.900000
	// betas[1] must be in [0, 1), got 1
}
