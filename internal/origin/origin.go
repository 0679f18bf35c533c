// Package origin decides which browser pages may talk to the server and
// which Host names it answers to. The server's own origin is the request's
// Host with the scheme the client used (http, or https when a trusted
// proxy says so); the websocket origin check and the REST CORS rule both
// compare against it, scheme and port included. The Host header is checked
// only when the server is bound to loopback (then only localhost and the
// loopback addresses) or when names are configured, so that DNS
// rebinding, a foreign name resolving to 127.0.0.1, cannot reach a local
// server, while a container listening on :8080 still answers to whatever
// name it is reached by.
package origin

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// Policy holds the names and origins the server accepts. Its zero value
// accepts any Host and only same-origin pages.
type Policy struct {
	hosts    []string // lower-case host names without port; empty: any
	loopback bool     // bound to loopback: localhost and loopback IPs
	extra    []string // normalised extra origins
}

// NewPolicy builds a policy. hosts are the -hosts names (with or without a
// port, which is ignored); loopback says the listener is bound to a
// loopback address; extraOrigins (scheme://host[:port]) may also open
// websockets and call the API from a browser.
func NewPolicy(hosts []string, loopback bool, extraOrigins []string) (*Policy, error) {
	p := &Policy{loopback: loopback}
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		name := hostname(h)
		if name == "" || strings.ContainsAny(h, "/@?#") {
			return nil, fmt.Errorf("host %q is not a host name", h)
		}
		p.hosts = append(p.hosts, name)
	}
	for _, o := range extraOrigins {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		n, ok := normalise(o)
		if !ok {
			return nil, fmt.Errorf("origin %q must be scheme://host[:port], such as https://school.example", o)
		}
		p.extra = append(p.extra, n)
	}
	return p, nil
}

// IsLoopbackListen reports whether a listen address ("127.0.0.1:8080",
// "localhost:0", "[::1]:80") accepts only loopback connections. The
// unspecified address (":8080", "0.0.0.0") is not loopback.
func IsLoopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// HostAllowed reports whether the server answers to host (a Host header,
// with or without port).
func (p *Policy) HostAllowed(host string) bool {
	if !p.loopback && len(p.hosts) == 0 {
		return true
	}
	name := hostname(host)
	for _, h := range p.hosts {
		if name == h {
			return true
		}
	}
	if p.loopback {
		if name == "localhost" || strings.HasSuffix(name, ".localhost") {
			return true // browsers resolve *.localhost to loopback themselves
		}
		if a, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil && a.Unmap().IsLoopback() {
			return true
		}
	}
	return false
}

// Own is the server's own origin for a request to host over https or not.
func Own(host string, https bool) string {
	scheme := "http"
	if https {
		scheme = "https"
	}
	return normaliseParts(scheme, host)
}

// Allowed reports whether a request with Origin header origin (present
// says whether it had one) may proceed. Requests without an Origin header
// do not come from a browser page (scripts, notebooks) and pass; "null"
// (sandboxed frames, file: pages) never does; a page passes when its
// origin is the server's own, scheme and port included, or one of the
// extra origins.
func (p *Policy) Allowed(origin string, present bool, host string, https bool) bool {
	if !present {
		return true
	}
	n, ok := normalise(origin)
	if !ok {
		return false
	}
	if n == Own(host, https) {
		return true
	}
	for _, e := range p.extra {
		if n == e {
			return true
		}
	}
	return false
}

// normalise reads an origin as scheme://host[:port] and writes it lower
// case without the scheme's default port.
func normalise(o string) (string, bool) {
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	return normaliseParts(u.Scheme, u.Host), true
}

func normaliseParts(scheme, host string) string {
	host = strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
			host = h
			if strings.Contains(h, ":") {
				host = "[" + h + "]"
			}
		}
	}
	return strings.ToLower(scheme) + "://" + host
}

// hostname is a Host header's name without its port, lower case, with a
// trailing dot removed ("Example.COM.:80" is "example.com").
func hostname(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	return strings.TrimSuffix(host, ".")
}
