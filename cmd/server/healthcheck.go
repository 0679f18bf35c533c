package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckWait bounds the whole check, well inside the interval a
// container runtime gives a HEALTHCHECK command.
const healthcheckWait = 3 * time.Second

// healthcheck asks the server at addr (as -addr gives it) for
// prefix+"/healthz" and reports whether it answered 200 with status "ok".
// It is how a distroless container, which has no shell or curl, checks
// itself: HEALTHCHECK CMD ["/basin-server", "-healthcheck"].
func healthcheck(ctx context.Context, addr, prefix string) error {
	ctx, cancel := context.WithTimeout(ctx, healthcheckWait)
	defer cancel()
	url := "http://" + localAddr(addr) + prefix + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var body struct{ Status string }
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&body); err != nil || res.StatusCode != http.StatusOK || body.Status != "ok" {
		return fmt.Errorf("%s answered %s (status %q)", url, res.Status, body.Status)
	}
	return nil
}

// localAddr is the address to reach a server listening on addr from the
// same host: an empty or unspecified host (":8080", "0.0.0.0:8080")
// means 127.0.0.1.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
