package runspec_test

import (
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
