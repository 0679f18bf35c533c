package admission_test

import (
	"context"
	"fmt"

	"github.com/basin-dev/basin/internal/admission"
)

// A client may hold half of the slots; another client is served at once.
func ExamplePool() {
	p := admission.New(admission.Config{Name: "run slot", Slots: 4})
	ctx := context.Background()
	a1, _ := p.Acquire(ctx, "203.0.113.7")
	a2, _ := p.Acquire(ctx, "203.0.113.7")
	b1, _ := p.Acquire(ctx, "198.51.100.1")
	s := p.Stats()
	fmt.Println("free:", s.Free, "held:", s.Held)
	a1()
	a2()
	b1()
	// Output: free: 1 held: map[198.51.100.1:1 203.0.113.7:2]
}
