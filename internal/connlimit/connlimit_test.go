package connlimit

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// server accepts on a capped loopback listener and keeps what it accepts
// until told to close them.
type server struct {
	ln       *Listener
	accepted chan net.Conn
}

func newServer(t *testing.T, total, perClient int, exempt func(netip.Addr) bool) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: Wrap(ln, total, perClient, exempt), accepted: make(chan net.Conn, 64)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			s.accepted <- c
		}
	}()
	t.Cleanup(func() {
		s.ln.Close()
		<-done
		close(s.accepted)
		for c := range s.accepted {
			c.Close()
		}
	})
	return s
}

// dial connects from local address from (127.0.0.x: distinct clients).
func dial(t *testing.T, s *server, from string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c, err := d.Dial("tcp", s.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// refusal reads what the server answered on c, or "" for a kept connection
// (it sends nothing first).
func refusal(t *testing.T, c net.Conn) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the refusal: %v", err)
	}
	return resp
}

func TestCaps(t *testing.T) {
	s := newServer(t, 3, 2, nil)
	dial(t, s, "127.0.0.2")
	dial(t, s, "127.0.0.2")
	kept := []net.Conn{<-s.accepted, <-s.accepted}

	// A third from the same client is refused with 429...
	resp := refusal(t, dial(t, s, "127.0.0.2"))
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "5" || !strings.Contains(string(body), `"error":`) {
		t.Fatalf("per-client refusal: %s %v %s", resp.Status, resp.Header, body)
	}
	// ...while another client still gets in, and then the server is full.
	dial(t, s, "127.0.0.3")
	kept = append(kept, <-s.accepted)
	resp = refusal(t, dial(t, s, "127.0.0.4"))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("over the total: %s", resp.Status)
	}
	if all, mine := s.ln.Open("127.0.0.2"); all != 3 || mine != 2 {
		t.Fatalf("Open = %d, %d", all, mine)
	}
	// Closing gives the place back, once however often it is closed.
	kept[0].Close()
	kept[0].Close()
	if all, mine := s.ln.Open("127.0.0.2"); all != 2 || mine != 1 {
		t.Fatalf("after a close: Open = %d, %d", all, mine)
	}
	dial(t, s, "127.0.0.2")
	kept = append(kept, <-s.accepted)
	for _, c := range kept {
		c.Close()
	}
	if all, _ := s.ln.Open(""); all != 0 || len(s.ln.byClient) != 0 {
		t.Fatalf("after closing all: %d open, %d clients remembered", all, len(s.ln.byClient))
	}
}

func TestExemptPeerCountsOnlyTowardsTotal(t *testing.T) {
	proxy := netip.MustParseAddr("127.0.0.5")
	s := newServer(t, 3, 1, func(a netip.Addr) bool { return a == proxy })
	for range 3 {
		dial(t, s, "127.0.0.5")
		<-s.accepted
	}
	if resp := refusal(t, dial(t, s, "127.0.0.5")); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("the total still applies to an exempt peer: %s", resp.Status)
	}
}
