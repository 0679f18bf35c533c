// Package peer names the client a request comes from, the unit that fair
// sharing and connection caps count by. A client is its TCP peer: an IPv4
// address exactly, an IPv6 address by its /64 (one host is usually given a
// whole /64, so counting single IPv6 addresses would let one machine take
// every share with a handful of them), or the address a trusted reverse
// proxy reports in X-Forwarded-For. It knows nothing of HTTP: callers pass
// the remote address and the header's values.
package peer

import (
	"fmt"
	"net/netip"
	"strings"
)

// IPv6PrefixBits is how much of an IPv6 address names one client.
const IPv6PrefixBits = 64

// ID identifies one client; equal IDs share their limits.
type ID string

// Identifier turns a connection's peer address into a client ID. Its zero
// value trusts no proxy.
type Identifier struct {
	trusted []netip.Prefix
}

// ParseTrusted reads a comma-separated list of CIDR prefixes or single
// addresses (the -trusted-proxies flag); empty trusts nobody.
func ParseTrusted(list string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR prefix (such as 10.0.0.0/8)", f)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// NewIdentifier trusts X-Forwarded-For only from peers inside trusted.
func NewIdentifier(trusted []netip.Prefix) *Identifier {
	return &Identifier{trusted: trusted}
}

// Trusted reports whether remoteAddr (host:port or a bare address) is one
// of the trusted proxies, whose X-Forwarded-For and X-Forwarded-Proto are
// believed.
func (id *Identifier) Trusted(remoteAddr string) bool {
	a, ok := parseAddr(remoteAddr)
	return ok && id.trusts(a)
}

func (id *Identifier) trusts(a netip.Addr) bool {
	for _, p := range id.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Identify names the client of a request from its TCP peer remoteAddr and
// the values of its X-Forwarded-For headers (in order). Only when the peer
// is a trusted proxy is X-Forwarded-For read, from the right: the nearest
// address not itself a trusted proxy is the client, so a client cannot
// choose its own identity by sending the header itself.
func (id *Identifier) Identify(remoteAddr string, forwardedFor []string) ID {
	a, ok := parseAddr(remoteAddr)
	if !ok {
		return ID(remoteAddr) // not an IP peer (a pipe, a unix socket): one client
	}
	if id.trusts(a) {
		hops := splitHops(forwardedFor)
		for i := len(hops) - 1; i >= 0; i-- {
			h, ok := parseAddr(hops[i])
			if !ok {
				break // a malformed hop: believe nothing further left
			}
			a = h
			if !id.trusts(h) {
				break
			}
		}
	}
	return Of(a)
}

// Of is the ID of address a: IPv4 (and IPv4-mapped IPv6) exactly, IPv6 by
// its /64.
func Of(a netip.Addr) ID {
	a = a.Unmap()
	if a.Is4() {
		return ID(a.String())
	}
	p, _ := a.WithZone("").Prefix(IPv6PrefixBits)
	return ID(p.String())
}

// splitHops lists the comma-separated addresses of X-Forwarded-For values.
func splitHops(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	return hops
}

// parseAddr reads "host:port", "[v6]:port" or a bare address.
func parseAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
