package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"
)

// syncBuffer is a log sink safe to read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// shutdownGuard only catches a hang: the close normally takes milliseconds,
// and a loaded CI machine must not fail the test.
const shutdownGuard = 60 * time.Second

// verifyNoLeaks fails t if goroutines other than the test's own remain
// after shutdownGuard. Connections end some time after the server closes
// them (the client's keep-alive connections see the close asynchronously),
// and goleak's own retries give up after about half a second, which a
// loaded machine can exceed; a real leak stays forever.
func verifyNoLeaks(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(shutdownGuard)
	for {
		err := goleak.Find() // retries for about half a second itself
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Error(err)
			return
		}
	}
}

// TestRunServesAndShutsDown starts the server as main does (flags and
// environment), uses it, then ends its context as a signal would: the open
// websocket must be closed with 1001 and run must return cleanly.
func TestRunServesAndShutsDown(t *testing.T) {
	defer verifyNoLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	// The environment gives the address; the flag would win over it.
	go func() { done <- run(ctx, []string{"-frame-ancestors", "'self'"}, "127.0.0.1:0", &logs, ready) }()
	addr := <-ready

	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("healthz: %d, CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	if res, err := http.Get("http://" + addr + "/"); err != nil || res.StatusCode != 200 {
		t.Errorf("the page: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/api/v1/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	closed := make(chan error, 1)
	go func() {
		_, _, err := c.ReadMessage()
		closed <- err
	}()
	cancel() // SIGINT or SIGTERM
	select {
	case err := <-closed:
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Errorf("websocket ended with %v, want close 1001", err)
		}
	case <-time.After(shutdownGuard):
		t.Fatalf("websocket not closed within %v of shutdown", shutdownGuard)
	}
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	for _, want := range []string{"open this URL", "url=http://127.0.0.1:", "shutting down"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestBrowsable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0.0.0.0:8080", "localhost:8080"}, {"[::]:8080", "localhost:8080"}, {"127.0.0.1:9000", "127.0.0.1:9000"},
	} {
		if got := browsable(addrString(c.in)); got != c.want {
			t.Errorf("browsable(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

type addrString string

func (a addrString) Network() string { return "tcp" }
func (a addrString) String() string  { return string(a) }
