package runspec_test

import (
	"context"
	"fmt"

	"github.com/basin-dev/basin/internal/runspec"
)

// A spec written as JSON reads back from its permalink unchanged: the page's
// URL, the websocket request and the POST body are one spec.
func ExampleEncodeQuery() {
	spec, err := runspec.Decode([]byte(`{"function":"himmelblau","start":[0,0],"lr":0.01,
		"optimizers":[{"name":"adam","lr":0.05,"betas":[0.9,0.999]},{"name":"sgd","momentum":0.9,"nesterov":true}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	q := runspec.EncodeQuery(spec)
	fmt.Println(q)
	back, _ := runspec.ParseQuery(q)
	fmt.Println(back)
	// Output:
	// v=1&f=himmelblau&start=0,0&lr=0.01&opt=adam(lr=0.05,betas=0.9/0.999)&opt=sgd(momentum=0.9,nesterov=true)
	// {"function":"himmelblau","start":[0,0],"lr":0.01,"optimizers":[{"name":"adam","lr":0.05,"betas":[0.9,0.999]},{"name":"sgd","momentum":0.9,"nesterov":true}]}
}

// A permalink resolved and computed without a server: what the lessons'
// tests do to check that each example tells its story.
func ExampleCompute() {
	spec, err := runspec.ParseQuery("v=1&f=himmelblau&start=0,0&opt=adam(lr=0.05)&opt=sgd(lr=0.02)")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	plan, err := runspec.NewResolver().Resolve(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	results, err := runspec.Compute(ctx, plan)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		end := r.Points[len(r.Points)-1]
		fmt.Printf("%s: %v at step %d, at (%.3f, %.3f)\n", r.Optimizer.Display, r.Outcome.Status, r.Outcome.Step, end.X, end.Y)
	}
	// Output:
	// Adam: converged at step 372, at (3.000, 2.000)
	// SGD: converged at step 39, at (3.000, 2.000)
}
