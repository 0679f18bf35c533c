package peer_test

import (
	"fmt"

	"github.com/basin-dev/basin/internal/peer"
)

func ExampleIdentifier_Identify() {
	trusted, _ := peer.ParseTrusted("10.0.0.0/8")
	id := peer.NewIdentifier(trusted)
	fmt.Println(id.Identify("203.0.113.7:51000", nil))
	fmt.Println(id.Identify("[2001:db8:1:2::99]:443", nil))
	fmt.Println(id.Identify("10.1.2.3:80", []string{"198.51.100.4, 10.9.9.9"}))
	fmt.Println(id.Identify("203.0.113.7:51000", []string{"198.51.100.4"})) // not a proxy: ignored
	// Output:
	// 203.0.113.7
	// 2001:db8:1:2::/64
	// 198.51.100.4
	// 203.0.113.7
}
