package api

import (
	"bufio"
	"net"
	"net/http"
	"sync"
)

// burstConn lets the writer send a burst of websocket messages (a run's
// point batches and its done) with one write system call instead of one
// each: while a burst is open, writes are collected and the burst's end
// writes them at once. Outside a burst it passes writes straight through,
// so control frames from other goroutines (pongs, close) are never held
// for long: at most until the burst ends. gorilla/websocket writes to it
// as to any net.Conn; its write deadline is the underlying connection's,
// so the burst's write keeps the deadline of its last message.
type burstConn struct {
	net.Conn
	mu   sync.Mutex
	open bool
	buf  *[]byte // pooled while a burst holds data
}

// burstFlushBytes bounds what one burst holds before it is written, so a
// burst of large JSON batches does not grow without end.
const burstFlushBytes = 256 << 10

var burstBufs = sync.Pool{New: func() any { b := make([]byte, 0, 128<<10); return &b }}

func (c *burstConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.open {
		return c.Conn.Write(p)
	}
	if c.buf == nil {
		c.buf = burstBufs.Get().(*[]byte)
	}
	*c.buf = append(*c.buf, p...)
	if len(*c.buf) >= burstFlushBytes {
		return len(p), c.flushLocked()
	}
	return len(p), nil
}

// begin opens a burst.
func (c *burstConn) begin() {
	c.mu.Lock()
	c.open = true
	c.mu.Unlock()
}

// end writes what the burst collected and closes it.
func (c *burstConn) end() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.open = false
	return c.flushLocked()
}

func (c *burstConn) flushLocked() error {
	if c.buf == nil {
		return nil
	}
	_, err := c.Conn.Write(*c.buf)
	*c.buf = (*c.buf)[:0]
	if cap(*c.buf) <= 2*burstFlushBytes {
		burstBufs.Put(c.buf)
	}
	c.buf = nil
	return err
}

// burstHijacker hands the websocket upgrader a burstConn in place of the
// raw connection.
type burstHijacker struct {
	http.ResponseWriter
	conn *burstConn
}

func (w *burstHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &burstConn{Conn: c}
	return w.conn, rw, nil
}

func (w *burstHijacker) Unwrap() http.ResponseWriter { return w.ResponseWriter }
