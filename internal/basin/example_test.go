package basin_test

import (
	"context"
	"fmt"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// A basin map of Himmelblau's four minima under Adam: which minimum each
// of 16 x 16 start points ends in.
func ExampleMap() {
	him, _ := landscape.Lookup("himmelblau")
	cfg := basin.MapConfig{
		Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 16,
		Optimizer: "adam", Values: optim.Values{"lr": {0.05}}, Steps: 500,
	}
	reached := make([]int, len(him.Critical))
	other := 0
	err := basin.Map(context.Background(), cfg, func(row int, cells []basin.Cell) error {
		for _, c := range cells {
			if c.Reached >= 0 {
				reached[c.Reached]++
			} else {
				other++
			}
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	for i, n := range reached {
		if cp := him.Critical[i]; cp.Kind == landscape.Minimum {
			fmt.Printf("minimum (%.2f, %.2f): %d starts\n", cp.At.X, cp.At.Y, n)
		}
	}
	fmt.Println("elsewhere or not converged:", other)
	// Output:
	// minimum (3.00, 2.00): 57 starts
	// minimum (-2.81, 3.13): 69 starts
	// minimum (-3.78, -3.28): 65 starts
	// minimum (3.58, -1.85): 50 starts
	// elsewhere or not converged: 15
}

// A learning-rate sweep of plain gradient descent on the bowl 0.5(x²+y²):
// each step multiplies the distance to the minimum by |1-lr|, so the run
// crawls for tiny rates and diverges beyond lr = 2.
func ExampleSweep() {
	q, _ := landscape.Lookup("quadratic")
	cfg := basin.SweepConfig{
		Func: q.Func, Critical: q.Critical, Start: landscape.Vec{X: 1, Y: 1},
		Optimizer: "sgd", LRMin: 1e-3, LRMax: 10, Count: 5, Steps: 1000,
	}
	results := make([]basin.SweepResult, 5)
	err := basin.Sweep(context.Background(), cfg, func(i int, r basin.SweepResult) error {
		results[i] = r // results arrive as they finish, not in order
		return nil
	})
	if err != nil {
		panic(err)
	}
	sum := basin.Summarize(results)
	for i, r := range results {
		fmt.Printf("lr %-6g %-13v %v\n", r.LR, r.Status, sum.Regions[i])
	}
	fmt.Println("diverges from lr", sum.Threshold)
	// Output:
	// lr 0.001  not_converged too_small
	// lr 0.01   not_converged too_small
	// lr 0.1    converged     good
	// lr 1      converged     good
	// lr 10     diverged      too_large
	// diverges from lr 10
}
