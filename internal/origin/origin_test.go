package origin

import "testing"

func TestAllowed(t *testing.T) {
	p, err := NewPolicy(nil, false, []string{"https://school.example", "http://localhost:5173/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		origin  string
		present bool
		host    string
		https   bool
		want    bool
	}{
		{"no origin header", "", false, "basin.example", false, true},
		{"same origin http", "http://basin.example", true, "basin.example", false, true},
		{"same origin with port", "http://127.0.0.1:8080", true, "127.0.0.1:8080", false, true},
		{"port differs", "http://127.0.0.1:9090", true, "127.0.0.1:8080", false, false},
		{"scheme differs", "https://basin.example", true, "basin.example", false, false},
		{"https behind a trusted proxy", "https://basin.example", true, "basin.example", true, true},
		{"http page to an https server", "http://basin.example", true, "basin.example", true, false},
		{"default port in host", "http://basin.example", true, "basin.example:80", false, true},
		{"default https port in origin", "https://basin.example:443", true, "basin.example", true, true},
		{"case", "HTTP://Basin.Example", true, "basin.EXAMPLE", false, true},
		{"ipv6", "http://[::1]:8080", true, "[::1]:8080", false, true},
		{"foreign", "http://evil.example", true, "basin.example", false, false},
		{"null", "null", true, "basin.example", false, false},
		{"empty", "", true, "basin.example", false, false},
		{"extra origin", "https://school.example", true, "basin.example", false, true},
		{"extra origin with its port", "http://localhost:5173", true, "basin.example", false, true},
		{"extra origin other scheme", "http://school.example", true, "basin.example", false, false},
		{"path is not an origin", "http://basin.example/x", true, "basin.example", false, false},
		{"userinfo", "http://u@basin.example", true, "basin.example", false, false},
		{"other scheme", "ftp://basin.example", true, "basin.example", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.Allowed(tc.origin, tc.present, tc.host, tc.https); got != tc.want {
				t.Errorf("Allowed(%q, host %q, https %v) = %v, want %v", tc.origin, tc.host, tc.https, got, tc.want)
			}
		})
	}
}

func TestHostAllowed(t *testing.T) {
	open, _ := NewPolicy(nil, false, nil)
	local, _ := NewPolicy(nil, true, nil)
	named, err := NewPolicy([]string{"basin.example", "Class.Example:8080"}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	both, _ := NewPolicy([]string{"basin.example"}, true, nil)
	for _, tc := range []struct {
		name string
		p    *Policy
		host string
		want bool
	}{
		{"container on :8080 answers any name", open, "whatever.example:8080", true},
		{"loopback: localhost", local, "localhost:8080", true},
		{"loopback: 127.0.0.1", local, "127.0.0.1:8080", true},
		{"loopback: other 127/8", local, "127.0.0.2:8080", true},
		{"loopback: ::1", local, "[::1]:8080", true},
		{"loopback: sub.localhost", local, "app.localhost", true},
		{"loopback: trailing dot", local, "localhost.:8080", true},
		{"loopback: rebinding name refused", local, "evil.example:8080", false},
		{"loopback: lan address refused", local, "192.168.1.2:8080", false},
		{"loopback: empty host refused", local, "", false},
		{"named: listed", named, "basin.example", true},
		{"named: listed, any port, any case", named, "CLASS.example:1234", true},
		{"named: other", named, "evil.example", false},
		{"named: localhost not implied", named, "localhost", false},
		{"both: name", both, "basin.example:80", true},
		{"both: loopback", both, "127.0.0.1", true},
		{"both: other", both, "evil.example", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.HostAllowed(tc.host); got != tc.want {
				t.Errorf("HostAllowed(%q) = %v, want %v", tc.host, got, tc.want)
			}
		})
	}
}

func TestNewPolicyRefuses(t *testing.T) {
	if _, err := NewPolicy(nil, false, []string{"school.example"}); err == nil {
		t.Error("an origin without a scheme was accepted")
	}
	if _, err := NewPolicy([]string{"http://x/"}, false, nil); err == nil {
		t.Error("a URL was accepted as a host name")
	}
}

func TestIsLoopbackListen(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:0": true, "[::1]:80": true, "127.0.0.2:1": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "192.168.1.2:80": false, "basin.example:80": false,
	} {
		if got := IsLoopbackListen(addr); got != want {
			t.Errorf("IsLoopbackListen(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestOwn(t *testing.T) {
	if got := Own("Basin.example:443", true); got != "https://basin.example" {
		t.Errorf("Own = %q", got)
	}
	if got := Own("127.0.0.1:8080", false); got != "http://127.0.0.1:8080" {
		t.Errorf("Own = %q", got)
	}
}
