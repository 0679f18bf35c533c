package peer

import (
	"net/netip"
	"testing"
)

func TestIdentify(t *testing.T) {
	trusted, err := ParseTrusted("10.0.0.0/8, 192.168.1.5 ,fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	id := NewIdentifier(trusted)
	none := &Identifier{}
	for _, tc := range []struct {
		name   string
		id     *Identifier
		remote string
		xff    []string
		want   ID
	}{
		{"ipv4 exact", none, "203.0.113.7:5555", nil, "203.0.113.7"},
		{"loopback addresses are distinct", none, "127.0.0.2:1", nil, "127.0.0.2"},
		{"ipv4-mapped ipv6 is ipv4", none, "[::ffff:203.0.113.7]:80", nil, "203.0.113.7"},
		{"ipv6 by /64", none, "[2001:db8:1:2:aaaa::1]:443", nil, "2001:db8:1:2::/64"},
		{"ipv6 same /64 other host", none, "[2001:db8:1:2:ffff:1:2:3]:443", nil, "2001:db8:1:2::/64"},
		{"ipv6 zone dropped", none, "[fe80::1%eth0]:443", nil, "fe80::/64"},
		{"xff ignored from untrusted peer", id, "203.0.113.7:1", []string{"198.51.100.1"}, "203.0.113.7"},
		{"xff ignored with no trusted list", none, "10.1.1.1:1", []string{"198.51.100.1"}, "10.1.1.1"},
		{"xff from trusted proxy", id, "10.1.1.1:1", []string{"198.51.100.1"}, "198.51.100.1"},
		{"rightmost untrusted hop wins", id, "10.1.1.1:1", []string{"6.6.6.6, 198.51.100.1, 10.2.2.2"}, "198.51.100.1"},
		{"several headers read in order", id, "10.1.1.1:1", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},
		{"single trusted address", id, "192.168.1.5:9", []string{"198.51.100.9"}, "198.51.100.9"},
		{"neighbour of trusted address not trusted", id, "192.168.1.6:9", []string{"198.51.100.9"}, "192.168.1.6"},
		{"malformed hop stops the walk", id, "10.1.1.1:1", []string{"198.51.100.1, junk"}, "10.1.1.1"},
		{"trusted proxy without header", id, "10.1.1.1:1", nil, "10.1.1.1"},
		{"xff ipv6 grouped by /64", id, "[fd00::1]:1", []string{"2001:db8:9:9::5"}, "2001:db8:9:9::/64"},
		{"all hops trusted: leftmost", id, "10.1.1.1:1", []string{"10.3.3.3, 10.2.2.2"}, "10.3.3.3"},
		{"not an ip peer", none, "pipe", nil, "pipe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.id.Identify(tc.remote, tc.xff); got != tc.want {
				t.Errorf("Identify(%q, %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
			}
		})
	}
}

func TestParseTrusted(t *testing.T) {
	for _, bad := range []string{"nonsense", "10.0.0.0/33", "1.2.3"} {
		if _, err := ParseTrusted(bad); err == nil {
			t.Errorf("ParseTrusted(%q) accepted it", bad)
		}
	}
	ps, err := ParseTrusted("")
	if err != nil || len(ps) != 0 {
		t.Errorf("ParseTrusted(\"\") = %v, %v; want nothing", ps, err)
	}
	ps, err = ParseTrusted("10.1.2.3/8")
	if err != nil || ps[0] != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("ParseTrusted masks the prefix: got %v, %v", ps, err)
	}
}

func TestTrusted(t *testing.T) {
	ps, _ := ParseTrusted("127.0.0.1")
	id := NewIdentifier(ps)
	if !id.Trusted("127.0.0.1:80") || id.Trusted("127.0.0.2:80") || id.Trusted("junk") {
		t.Error("Trusted must hold for the listed address only")
	}
}

func FuzzIdentify(f *testing.F) {
	f.Add("10.1.1.1:1", "1.2.3.4, 10.0.0.1")
	f.Add("[2001:db8::1]:1", "junk")
	ps, _ := ParseTrusted("10.0.0.0/8")
	id := NewIdentifier(ps)
	f.Fuzz(func(t *testing.T, remote, xff string) {
		got := id.Identify(remote, []string{xff})
		if got == "" && remote != "" {
			t.Errorf("Identify(%q, %q) is empty", remote, xff)
		}
	})
}
