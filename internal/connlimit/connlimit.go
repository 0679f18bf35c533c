// Package connlimit caps the TCP connections a server holds, in all and
// per client, at the listener: a connection beyond a cap is answered with
// a short HTTP error and closed before the HTTP server spends a goroutine
// and buffers on it. Clients are counted by peer.Of their address, so one
// IPv6 host cannot take every connection with many addresses of its /64.
package connlimit

import (
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/basin-dev/basin/internal/peer"
)

// refusalWriteWait bounds writing the refusal: it fits any socket buffer,
// so only a peer that is already gone makes the write wait.
const refusalWriteWait = time.Second

// RetryAfterSeconds is the Retry-After of a refusal.
const RetryAfterSeconds = 5

// Listener is a net.Listener that holds at most Total connections, and at
// most PerClient from one client (peers in Exempt, such as a trusted
// reverse proxy carrying every client, count only towards Total).
type Listener struct {
	net.Listener
	total, perClient int
	exempt           func(netip.Addr) bool

	mu       sync.Mutex
	open     int
	byClient map[peer.ID]int
}

// Wrap caps ln at total connections and perClient per client; exempt, if
// not nil, names peers that the per-client cap does not apply to.
func Wrap(ln net.Listener, total, perClient int, exempt func(netip.Addr) bool) *Listener {
	return &Listener{Listener: ln, total: max(1, total), perClient: max(1, perClient), exempt: exempt,
		byClient: make(map[peer.ID]int)}
}

// Accept returns the next connection within the caps, answering and
// closing those beyond them.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr, _ := netip.ParseAddrPort(c.RemoteAddr().String())
		a := addr.Addr().Unmap()
		id := peer.Of(a)
		if !a.IsValid() {
			id = peer.ID(c.RemoteAddr().String())
		}
		exempt := l.exempt != nil && a.IsValid() && l.exempt(a)
		l.mu.Lock()
		switch {
		case l.open >= l.total:
			l.mu.Unlock()
			refuse(c, "503 Service Unavailable", "the server holds as many connections as it may; try again shortly")
			continue
		case !exempt && l.byClient[id] >= l.perClient:
			l.mu.Unlock()
			refuse(c, "429 Too Many Requests", "too many connections from this address")
			continue
		}
		l.open++
		l.byClient[id]++
		l.mu.Unlock()
		return &conn{Conn: c, l: l, id: id}, nil
	}
}

// Open returns the connections held, in all and from client id.
func (l *Listener) Open(id peer.ID) (all, byClient int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.byClient[id]
}

func (l *Listener) release(id peer.ID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byClient[id]--; l.byClient[id] <= 0 {
		delete(l.byClient, id)
	}
}

// conn gives its place back once, on its first Close.
type conn struct {
	net.Conn
	l    *Listener
	id   peer.ID
	once sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.id) })
	return err
}

// refuse answers an HTTP error with the JSON error object every endpoint
// uses, and closes c.
func refuse(c net.Conn, status, msg string) {
	body := `{"error":"` + msg + `"}` + "\n"
	resp := "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nRetry-After: " +
		strconv.Itoa(RetryAfterSeconds) + "\r\nConnection: close\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body
	c.SetWriteDeadline(time.Now().Add(refusalWriteWait))
	c.Write([]byte(resp))
	c.Close()
}
