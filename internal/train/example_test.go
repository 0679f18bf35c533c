package train_test

import (
	"context"
	"fmt"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/train"
)

// ExampleRun fits a line to the Old Faithful data, standardized, with
// full-batch gradient descent, and finds it at the least-squares minimum.
func ExampleRun() {
	steps := 200
	res, err := train.Run(context.Background(), train.Spec{
		Dataset:     train.Dataset{Name: "faithful"},
		Standardize: true,
		Model:       model.Spec{Kind: model.Linear},
		Steps:       &steps,
		Optimizers:  []train.Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.5}}}},
		Grid:        32,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Runs[0]
	last := r.Params[len(r.Params)-2:]
	fmt.Println("parameters:", res.Names)
	fmt.Println("rows recorded:", r.Rows())
	fmt.Printf("final w, b: %.4f, %.4f\n", last[0], last[1])
	fmt.Printf("least squares: %.4f, %.4f\n", res.Critical[0].At.X, res.Critical[0].At.Y)
	fmt.Println("outcome:", r.Outcome.Status, "reached the minimum:", r.Outcome.Reached == &res.Critical[0])
	fmt.Println("landscape:", res.Landscape.NX, "x", res.Landscape.NY)
	// Output:
	// parameters: [w b]
	// rows recorded: 201
	// final w, b: 1.0263, 3.4878
	// least squares: 1.0263, 3.4878
	// outcome: converged reached the minimum: true
	// landscape: 32 x 32
}
