package lessons_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/lessons"
)

// ExampleAll lists the guided examples as the page offers them: a title and
// a permalink each.
func ExampleAll() {
	for _, e := range lessons.All() {
		fmt.Printf("%s: ?%s\n", e.Title["en"], e.Query)
	}
	// Output:
	// Learning rate too small: slow: ?v=1&f=quadratic&start=-4,3.5&lr=0.001&steps=500&opt=sgd
	// Learning rate just right: ?v=1&f=quadratic&start=-4,3.5&lr=0.3&steps=500&opt=sgd
	// Learning rate too large: divergence: ?v=1&f=quadratic&start=-4,3.5&lr=3&steps=500&opt=sgd
	// Where you start decides where you end: ?v=1&f=double-well&start=0.5,1.5&lr=0.05&steps=500&opt=sgd
	// Momentum carries a run over the ridge: ?v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&opt=sgd&opt=sgd(momentum=0.8)
	// Adaptive methods on an ill-conditioned bowl: ?v=1&f=elliptic&start=-4.5,2&lr=0.5&steps=1000&opt=sgd&opt=adagrad&opt=rmsprop&opt=adam
	// Noise helps escape a local minimum: ?v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&seed=1&noise=4&opt=sgd
}
