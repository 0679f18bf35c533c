package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/admission"
	"github.com/gorilla/websocket"
)

// Helpers shared by the REST, websocket, sweep, basin and inspection tests:
// a real server, HTTP requests, websocket dialing and reading, waiting for
// a condition, and holding the server's slots.

// newServer starts a real HTTP server around a Handler built from cfg.
func newServer(t *testing.T, cfg Config) (*Handler, *httptest.Server) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = discard()
	}
	if cfg.Web == nil {
		cfg.Web = testPage
	}
	h := NewHandler(cfg)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// do sends req and returns the response with its whole body.
func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func post(t *testing.T, url, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	return do(t, req)
}

func wsURL(srv *httptest.Server) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/ws"
}

// dial opens a websocket to srv, closed when the test ends.
func dial(t *testing.T, srv *httptest.Server, header http.Header) *websocket.Conn {
	t.Helper()
	c, res, err := websocket.DefaultDialer.Dial(wsURL(srv), header)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, res)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

func runMsg(id, spec, extra string) string {
	return `{"type":"run","id":"` + id + `","spec":` + spec + extra + `}`
}

// readMessage reads the next message of c, failing the test when none
// comes within waitGuard. read and readBasin decode what it returns.
func readMessage(t *testing.T, c *websocket.Conn) (kind int, data []byte) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(waitGuard))
	kind, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return kind, data
}

// waitGuard bounds waitFor. It only guards against a hang: conditions are
// normally met in milliseconds, and a loaded CI machine must not fail them.
const waitGuard = 60 * time.Second

// waitFor polls cond until it holds, failing the test after waitGuard.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitGuard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", waitGuard)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// openConns is the number of websockets the handler counts as open.
func (h *Handler) openConns() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conns
}

// fillSlots takes every free slot of one of the handler's pools (h.runs,
// h.heavy), each for a client of its own (one client may hold only its
// share), so that the jobs needing one wait in flight until release is
// called.
func fillSlots(p *admission.Pool) (release func()) {
	var rels []func()
	for i := range p.Stats().Free {
		rel, err := p.Acquire(context.Background(), fmt.Sprintf("filler-%d", i))
		if err != nil {
			panic(err)
		}
		rels = append(rels, rel)
	}
	return func() {
		for _, rel := range rels {
			rel()
		}
	}
}

// inUse is the number of p's slots held.
func inUse(p *admission.Pool) int { return p.Config().Slots - p.Stats().Free }

// smallBufferLen is the socket buffer of the slow-client tests: a few
// frames, not the kernel's default megabytes, fill it.
const smallBufferLen = 4096

// smallBufferListener shrinks the server's socket send buffer so that a
// client that stops reading backs up the writer at once.
type smallBufferListener struct{ net.Listener }

func (l smallBufferListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(smallBufferLen)
	}
	return c, err
}

// newSlowClientServer starts a server for the tests of clients that stop
// reading: its sockets have small send buffers, and writeWait is its write
// deadline (long, to show a slow client costs others nothing while it is
// still connected; short, to see it dropped). It serves no page.
func newSlowClientServer(t *testing.T, cfg Config, writeWait time.Duration) (*Handler, *httptest.Server) {
	t.Helper()
	cfg.Logger = discard()
	h := NewHandler(cfg)
	h.timing.writeWait = writeWait
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = smallBufferListener{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)
	return h, srv
}

// dialSlowClient opens a websocket with a small socket receive buffer, for
// a client that stops reading; it is closed when the test ends.
func dialSlowClient(t *testing.T, srv *httptest.Server) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(smallBufferLen)
		}
		return c, err
	}}
	c, _, err := d.Dial(wsURL(srv), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
