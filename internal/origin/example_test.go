package origin_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/origin"
)

// A server bound to loopback answers only to local names, and a page must
// come from its own origin, scheme and port included.
func ExamplePolicy() {
	p, _ := origin.NewPolicy(nil, origin.IsLoopbackListen("127.0.0.1:8080"), nil)
	fmt.Println(p.HostAllowed("localhost:8080"), p.HostAllowed("rebind.example:8080"))
	fmt.Println(p.Allowed("http://localhost:8080", true, "localhost:8080", false))
	fmt.Println(p.Allowed("https://localhost:8080", true, "localhost:8080", false))
	// Output:
	// true false
	// true
	// false
}
