package bytebudget_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/bytebudget"
)

func ExampleBudget_Reserve() {
	b := bytebudget.New(8<<20, 0) // a client may hold half
	release, _ := b.Reserve("203.0.113.7", 3<<20)
	_, err := b.Reserve("203.0.113.7", 2<<20)
	fmt.Println(err)
	release()
	// Output: the server is busy: this client's share of the memory for answers waiting to be written (4.2 MB) is in use; try again once earlier answers have been read
}
