package optim_test

import (
	"context"
	"fmt"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// ExampleRun runs Adam on Himmelblau's function from the origin into a
// pre-sized buffer, as the websocket session does.
func ExampleRun() {
	preset, _ := landscape.Lookup("himmelblau")
	opt, _, err := optim.New("adam", optim.Values{"lr": {0.05}})
	if err != nil {
		panic(err)
	}
	cfg := optim.Config{
		Func:     preset.Func,
		Critical: preset.Critical,
		Start:    preset.Start,
		Steps:    1000,
	}
	buf := make([]optim.Point, 0, cfg.Steps+1) // pre-sized: the run allocates nothing
	pts, out, err := optim.Run(context.Background(), cfg, opt, buf)
	if err != nil {
		panic(err)
	}
	end := pts[len(pts)-1]
	fmt.Printf("%d points\n", len(pts))
	fmt.Printf("%v at step %d: %v at (%.4f, %.4f), global %v\n",
		out.Status, out.Step, out.Reached.Kind, end.X, end.Y, out.Reached.Global)
	// Output:
	// 1001 points
	// converged at step 372: minimum at (3.0000, 2.0000), global true
}

// ExampleNewSchedule builds a cosine-annealing schedule with PyTorch's
// parameter names and prints the learning rate Run sets before some steps.
func ExampleNewSchedule() {
	s, resolved, err := optim.NewSchedule("cosineannealinglr", optim.Values{"T_max": {100}})
	if err != nil {
		panic(err)
	}
	fmt.Println("eta_min defaults to", resolved["eta_min"][0])
	for _, step := range []int{0, 25, 50, 100} {
		fmt.Printf("step %d: lr %.6f\n", step, s.LR(0.1, step))
	}
	_, _, err = optim.NewSchedule("steplr", optim.Values{"gamma": {0.5}})
	fmt.Println(err)
	// Output:
	// eta_min defaults to 0
	// step 0: lr 0.100000
	// step 25: lr 0.085355
	// step 50: lr 0.050000
	// step 100: lr 0.000000
	// step_size is required for steplr
}

// ExampleSettle judges the end of a run in any number of dimensions: here
// 200 points of a run whose basins, by whatever noise-free descent the
// caller uses, are 1 for its first 120 points and 0 after. It settled in
// basin 0, and its final stay began at point 120.
func ExampleSettle() {
	basinOf := func(i int) int {
		if i < 120 {
			return 1
		}
		return 0
	}
	n := 200
	meanBasin := 0 // the basin of the mean of the last optim.Window(n) points
	s := optim.Settle(n, meanBasin, basinOf)
	fmt.Println(s.Status, s.Basin, s.From, optim.Window(n))
	// Output: converged 0 120 20
}
