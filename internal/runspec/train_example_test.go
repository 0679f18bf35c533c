package runspec_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/basin-dev/basin/internal/runspec"
)

// A training request is decoded, trained and written as a link; the link
// reads back to the same request.
func ExampleTrain() {
	spec, err := runspec.DecodeTrain([]byte(`{"dataset":{"name":"faithful"},"standardize":true,
		"model":{"kind":"linear"},"steps":200,"optimizers":[{"name":"sgd","lr":0.5},{"name":"momentum","lr":0.1}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := runspec.Train(context.Background(), spec, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range res.Runs {
		last := r.Params[len(r.Params)-2:]
		fmt.Printf("%s (%s): w=%.4f b=%.4f, %v\n", res.Optimizers[i].Display, r.Optimizer, last[0], last[1], r.Outcome.Status)
	}
	fmt.Printf("least squares: w=%.4f b=%.4f\n", res.Critical[0].At.X, res.Critical[0].At.Y)
	q, _ := runspec.EncodeTrainQuery(spec)
	fmt.Println(q)
	vals, _ := url.ParseQuery(q)
	back, _ := runspec.DecodeTrainQuery(vals)
	again, _ := runspec.EncodeTrainQuery(back)
	fmt.Println(again == q)
	// Output:
	// SGD (sgd): w=1.0263 b=3.4878, converged
	// Momentum SGD (sgd): w=1.0263 b=3.4878, not_converged
	// least squares: w=1.0263 b=3.4878
	// train=1&data=faithful&std=true&model=linear&steps=200&opt=sgd(lr=0.5)&opt=momentum(lr=0.1)
	// true
}
