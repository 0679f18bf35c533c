package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
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
	env := map[string]string{"BASIN_ADDR": "127.0.0.1:0", "BASIN_METRICS": "true"}
	go func() {
		done <- run(ctx, []string{"-frame-ancestors", "'self'"}, func(k string) string { return env[k] }, io.Discard, &logs, ready)
	}()
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
	if res, err := http.Get("http://" + addr + "/metrics"); err != nil || res.StatusCode != 200 {
		t.Errorf("/metrics with BASIN_METRICS=true: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if err := run(ctx, []string{"-healthcheck", "-addr", addr}, noEnv, io.Discard, io.Discard, nil); err != nil {
		t.Errorf("-healthcheck against the running server: %v", err)
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

func noEnv(string) string { return "" }

func TestEnvironmentAndFlags(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*config) bool
		wantErr string // empty: no error
	}{
		{"defaults", nil, nil, func(c *config) bool {
			return c.addr == "127.0.0.1:8080" && c.api.MaxRuns == 16 && !c.api.Metrics && c.logFormat == "text"
		}, ""},
		{"environment sets", nil, map[string]string{"BASIN_MAX_RUNS": "3", "BASIN_LOG_FORMAT": "json", "BASIN_LOG_LEVEL": "warn", "BASIN_PREFIX": "/basin", "BASIN_METRICS": "1"},
			func(c *config) bool {
				return c.api.MaxRuns == 3 && c.logFormat == "json" && c.logLevel == slog.LevelWarn && c.api.Prefix == "/basin" && c.api.Metrics
			}, ""},
		{"flag wins over environment", []string{"-max-runs", "5"}, map[string]string{"BASIN_MAX_RUNS": "3"},
			func(c *config) bool { return c.api.MaxRuns == 5 }, ""},
		{"origins", []string{"-origins", "https://a.example,https://b.example"}, nil,
			func(c *config) bool {
				return len(c.api.AllowedOrigins) == 2 && c.api.AllowedOrigins[1] == "https://b.example"
			}, ""},
		{"command flags ignore the environment", nil, map[string]string{"BASIN_HEALTHCHECK": "true", "BASIN_VERSION": "true"},
			func(c *config) bool { return !c.healthcheck && !c.version }, ""},
		{"bad environment value names the variable", nil, map[string]string{"BASIN_MAX_RUNS": "many"}, nil, "BASIN_MAX_RUNS"},
		{"bad boolean", nil, map[string]string{"BASIN_METRICS": "yes please"}, nil, "BASIN_METRICS"},
		{"bad log level", nil, map[string]string{"BASIN_LOG_LEVEL": "loud"}, nil, "BASIN_LOG_LEVEL"},
		{"bad log format", []string{"-log-format", "xml"}, nil, nil, "-log-format (BASIN_LOG_FORMAT) must be text or json"},
		{"zero limit", nil, map[string]string{"BASIN_MAX_CONNS": "0"}, nil, "-max-conns (BASIN_MAX_CONNS) must be at least 1"},
		{"bad prefix", []string{"-prefix", "basin/"}, nil, nil, "-prefix (BASIN_PREFIX) must start with /"},
		{"stray argument", []string{"serve"}, nil, nil, `unexpected argument "serve"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := parseConfig(c.args, func(k string) string { return c.env[k] }, io.Discard)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(cfg) {
				t.Errorf("config %+v", cfg)
			}
		})
	}
}

func TestVersionFlag(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-version"}, noEnv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "basin ") || !strings.Contains(out.String(), "go1.") {
		t.Errorf("-version printed %q", out.String())
	}
}

func TestJSONLogs(t *testing.T) {
	var out bytes.Buffer
	c, err := parseConfig([]string{"-log-format", "json", "-log-level", "warn"}, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	log := c.logger(&out)
	log.Info("hidden")
	log.Warn("shown", "k", 1)
	var line map[string]any
	if err := json.Unmarshal(out.Bytes(), &line); err != nil || line["msg"] != "shown" || strings.Contains(out.String(), "hidden") {
		t.Errorf("JSON log at warn: %q (%v)", out.String(), err)
	}
}

func TestHealthcheckFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var errs bytes.Buffer
	if err := run(context.Background(), []string{"-healthcheck", "-addr", addr}, noEnv, io.Discard, &errs, nil); err == nil {
		t.Error("-healthcheck with no server passed")
	}
	if !strings.Contains(errs.String(), "unhealthy") {
		t.Errorf("stderr %q", errs.String())
	}
	// A server that answers, but not healthy.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"status":"draining"}`)
	}))
	defer srv.Close()
	if err := healthcheck(context.Background(), strings.TrimPrefix(srv.URL, "http://"), ""); err == nil {
		t.Error("healthcheck passed a 503")
	}
}

func TestLocalAddr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{":8080", "127.0.0.1:8080"}, {"0.0.0.0:8080", "127.0.0.1:8080"}, {"[::]:8080", "127.0.0.1:8080"},
		{"10.0.0.5:9000", "10.0.0.5:9000"}, {"localhost:8080", "localhost:8080"},
	} {
		if got := localAddr(c.in); got != c.want {
			t.Errorf("localAddr(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
