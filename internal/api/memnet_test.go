package api

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// memNet serves a Handler over in-memory connections, so that a test can
// run the server and its clients inside a testing/synctest bubble, where
// time is a fake clock that advances only when every goroutine waits: the
// websocket timings (pings, pong and write deadlines) then play out exactly
// as written, however loaded the machine is, and take no wall time.
type memNet struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// memFramesLimit is how many writes a memNet connection holds for a reader
// that does not read, the part a socket's buffers play: a client that never
// reads still receives its pings without blocking the server's writer.
const memFramesLimit = 1024

// serveMem starts an http.Server for h on a memNet and returns a dial
// function that opens a websocket to it. Everything stops when the test
// ends. Call it inside a synctest bubble.
func serveMem(t *testing.T, h http.Handler) (dial func() *websocket.Conn) {
	t.Helper()
	l := &memNet{conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: h}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-served
	})
	d := websocket.Dialer{NetDialContext: l.dial}
	return func() *websocket.Conn {
		t.Helper()
		c, res, err := d.Dial("ws://basin.test/api/v1/ws", nil)
		if err != nil {
			t.Fatalf("dial: %v (%v)", err, res)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
}

func (l *memNet) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memNet) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *memNet) Addr() net.Addr { return memAddr{} }

// dial connects a client to the listener's server.
func (l *memNet) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := bufferedPipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		client.Close()
		server.Close()
		return nil, net.ErrClosed
	case <-ctx.Done():
		client.Close()
		server.Close()
		return nil, ctx.Err()
	}
}

type memAddr struct{}

func (memAddr) Network() string { return "mem" }
func (memAddr) String() string  { return "mem" }

// bufferedPipe is net.Pipe (which has deadlines and is synctest-friendly)
// with up to memFramesLimit writes buffered each way, so a writer does not
// wait for the reader, as on a socket. Closing either end closes the other
// after the data already written.
func bufferedPipe() (a, b net.Conn) {
	a, aInner := net.Pipe()
	bInner, b := net.Pipe()
	go relay(aInner, bInner)
	go relay(bInner, aInner)
	return a, b
}

// relay copies from one pipe to the other through a buffer of
// memFramesLimit writes, then closes both.
func relay(from, to net.Conn) {
	q := make(chan []byte, memFramesLimit)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 32<<10)
			n, err := from.Read(buf)
			if n > 0 {
				q <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	for p := range q {
		if _, err := to.Write(p); err != nil {
			break
		}
	}
	from.Close()
	to.Close()
	for range q { // until the reading goroutine has seen from closed
	}
}
