package cost_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
)

func ExampleCheck() {
	rosen, _ := landscape.Lookup("rosenbrock")
	fmt.Println(cost.Check(cost.Basin(rosen.Func, 128, 500), cost.DefaultBudget))
	fmt.Println(cost.Check(cost.Basin(rosen.Func, 256, 500).Noisy(1), cost.DefaultBudget/100))
	// Output:
	// <nil>
	// this basin map would take about 29 s of CPU; the limit is 200 ms; use a smaller grid or fewer steps
}
