package api

import "net/http"

// originAllowed is the upgrader's CheckOrigin and the REST CORS rule:
// requests without an Origin header (scripts, notebooks) pass; a browser's
// page must come from this server's own origin (the Host it asked for,
// with the scheme it used, port included) or from Config.AllowedOrigins.
// "null" (sandboxed frames, file: pages) never passes.
func (h *Handler) originAllowed(r *http.Request) bool {
	o, present := r.Header["Origin"]
	first := ""
	if present {
		first = o[0]
	}
	return h.origins.Allowed(first, present, r.Host, h.secure(r))
}

// admit reserves a connection slot for addr, or says why not: 503 when the
// server is full or shutting down, 429 when addr holds too many.
func (h *Handler) admit(addr string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closing:
		return statusError(http.StatusServiceUnavailable, "the server is shutting down")
	case h.conns >= h.cfg.MaxConns:
		return statusError(http.StatusServiceUnavailable, "the server is full, try again shortly")
	case h.perClient[addr] >= h.cfg.MaxConnsPerClient:
		return statusError(http.StatusTooManyRequests, "too many connections from this address")
	}
	h.conns++
	h.perClient[addr]++
	return nil
}

func (h *Handler) release(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.conns--
	if h.perClient[addr]--; h.perClient[addr] <= 0 {
		delete(h.perClient, addr)
	}
}

// serveWS checks the origin and the connection limits before upgrading, so
// a refused client costs nothing, then runs the session on this goroutine.
func (h *Handler) serveWS(w http.ResponseWriter, r *http.Request) {
	if !h.originAllowed(r) {
		h.fail(w, r, statusError(http.StatusForbidden, "origin "+r.Header.Get("Origin")+" may not open a websocket here"))
		return
	}
	addr := string(clientOf(r.Context()))
	if err := h.admit(addr); err != nil {
		w.Header().Set("Retry-After", retryAfter)
		h.fail(w, r, err)
		return
	}
	defer h.release(addr)
	bw := &burstHijacker{ResponseWriter: w}
	conn, err := h.upgrader.Upgrade(bw, r, nil)
	if err != nil {
		return // the upgrader has answered the client
	}
	s := newSession(h, conn, addr)
	s.burst = bw.conn
	h.mu.Lock()
	if h.closing { // shutdown began during the handshake
		h.mu.Unlock()
		sendGoingAway(conn, h.timing.writeWait)
		conn.Close()
		return
	}
	h.sessions[s] = struct{}{}
	h.wg.Add(1)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.sessions, s)
		h.mu.Unlock()
		h.wg.Done()
	}()
	s.serve()
}
