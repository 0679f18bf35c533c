package api

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/runspec"
	"github.com/gorilla/websocket"
)

// heavyExpr is a typed expression that is finite everywhere and costly
// (about a microsecond per value and gradient): the kind that let one
// client hold the server for minutes.
var heavyExpr = strings.Repeat("sin(x*y)^2+exp(cos(x+y))+atan2(y,1+tanh(x)^2)+sqrt(1+x^2)+", 8) + "x^2+y^2"

// heavyBasin is a basin map of heavyExpr that takes minutes of CPU.
var heavyBasin = `{"expr":` + jsonString(heavyExpr) + `,"steps":2048,"optimizers":[{"name":"sgd","lr":0.0001}],"grid":256}`

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// smallRun is a run that answers in milliseconds.
const smallRun = "/api/v1/runs?v=1&f=booth&opt=sgd&steps=50"

// clientFrom is an HTTP client whose connections come from the loopback
// address ip (127.0.0.x): to the server, a client of its own.
func clientFrom(t *testing.T, ip string) *http.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr := &http.Transport{DialContext: d.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func getWith(t *testing.T, c *http.Client, url string, header http.Header) (*http.Response, errorBody) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e errorBody
	json.NewDecoder(res.Body).Decode(&e)
	return res, e
}

// TestNoClientTakesMoreThanHalf holds one client's share of the run slots
// and checks that its next run waits and is refused as busy (429,
// Retry-After) while another client's run is answered at once.
func TestNoClientTakesMoreThanHalf(t *testing.T) {
	h, srv := newServer(t, Config{MaxRuns: 2, QueueWait: 100 * time.Millisecond})
	hold, err := h.runs.Acquire(context.Background(), "127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	defer hold()
	if res, e := getWith(t, clientFrom(t, "127.0.0.3"), srv.URL+smallRun, nil); res.StatusCode != 200 {
		t.Fatalf("another client's run: %d %s", res.StatusCode, e.Error)
	}
	res, e := getWith(t, clientFrom(t, "127.0.0.2"), srv.URL+smallRun, nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(e.Error, "busy") {
		t.Fatalf("a client over its share: %d Retry-After %q %q", res.StatusCode, res.Header.Get("Retry-After"), e.Error)
	}
}

// TestForwardedForFromTrustedProxy: behind a trusted proxy, clients are
// told apart by X-Forwarded-For; from anyone else the header is ignored.
func TestForwardedForFromTrustedProxy(t *testing.T) {
	h, srv := newServer(t, Config{MaxRuns: 2, QueueWait: 100 * time.Millisecond,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	hold, err := h.runs.Acquire(context.Background(), "198.51.100.7")
	if err != nil {
		t.Fatal(err)
	}
	defer hold()
	proxy := clientFrom(t, "127.0.0.1")
	if res, _ := getWith(t, proxy, srv.URL+smallRun, http.Header{"X-Forwarded-For": {"198.51.100.7"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the forwarded client at its share: %d, want 429", res.StatusCode)
	}
	if res, e := getWith(t, proxy, srv.URL+smallRun, http.Header{"X-Forwarded-For": {"198.51.100.8"}}); res.StatusCode != 200 {
		t.Errorf("another forwarded client: %d %s", res.StatusCode, e.Error)
	}
	// An untrusted peer cannot pose as the client with a free share.
	hold2, _ := h.runs.Acquire(context.Background(), "127.0.0.4")
	defer hold2()
	if res, _ := getWith(t, clientFrom(t, "127.0.0.4"), srv.URL+smallRun, http.Header{"X-Forwarded-For": {"198.51.100.9"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("X-Forwarded-For from an untrusted peer was believed: %d", res.StatusCode)
	}
}

// TestOverCPUBudget: every kind of job is priced before it starts and
// refused with 400 naming the estimate, the limit and what to make
// smaller.
func TestOverCPUBudget(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/basins", heavyBasin)
	var e errorBody
	json.Unmarshal(body, &e)
	if res.StatusCode != 400 || e.Field == nil || *e.Field != "grid" ||
		!strings.HasPrefix(e.Error, "this basin map would take about ") ||
		!strings.HasSuffix(e.Error, " min of CPU; the limit is 20 s; use a smaller grid or fewer steps") {
		t.Errorf("basin map: %d %s", res.StatusCode, body)
	}

	_, tiny := newServer(t, Config{CPUBudget: time.Microsecond})
	for _, tc := range []struct{ method, path, body, want string }{
		{"GET", "/api/v1/runs?v=1&f=booth&opt=sgd&steps=100", "", "this run would take about"},
		{"GET", "/api/v1/landscape?f=ackley&nx=512&ny=512", "", "this landscape grid would take about"},
		{"POST", "/api/v1/sweeps", `{"function":"booth","optimizers":[{"name":"sgd"}],"count":16}`, "this learning-rate sweep would take about"},
		{"GET", "/api/v1/functions/custom?expr=" + url.QueryEscape("x^2+y^3"), "", "finding this function's critical points would take about"},
	} {
		req, _ := http.NewRequest(tc.method, tiny.URL+tc.path, strings.NewReader(tc.body))
		res, body := do(t, req)
		var e errorBody
		json.Unmarshal(body, &e)
		if res.StatusCode != 400 || !strings.HasPrefix(e.Error, tc.want) || !strings.Contains(e.Error, "the limit is 1 µs") {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, res.StatusCode, body)
		}
	}
}

// TestMemoryBudget: a client whose answers would hold more than its share
// of the memory budget is refused with 429 before anything is computed.
func TestMemoryBudget(t *testing.T) {
	_, srv := newServer(t, Config{MemoryBudget: 1 << 20})
	// Two optimizers of 10,000 steps hold 480 KB of points, over the
	// 512 KB share with the stream's buffers.
	res, body := get(t, srv.URL+"/api/v1/runs?v=1&f=booth&opt=sgd&opt=adam&steps=10000")
	var e errorBody
	json.Unmarshal(body, &e)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(e.Error, "share of the memory") {
		t.Errorf("%d %s", res.StatusCode, body)
	}
	if res, body := get(t, srv.URL+"/api/v1/runs?v=1&f=booth&opt=sgd&steps=10000"); res.StatusCode != 200 {
		t.Errorf("a run within the share: %d %s", res.StatusCode, body)
	}
}

// TestWorkStopsWhenClientGoes starts a basin map that would compute for
// minutes and hangs up once it holds its slots: the slots come back, so
// the computation stopped.
func TestWorkStopsWhenClientGoes(t *testing.T) {
	h, srv := newServer(t, Config{CPUBudget: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/basins", strings.NewReader(heavyBasin))
	errc := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	waitFor(t, func() bool { return inUse(h.heavy) == 1 })
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the map answered before the client left")
	}
	waitFor(t, func() bool { return inUse(h.heavy) == 0 && inUse(h.runs) == 0 })
	if all, _ := h.memory.Used(""); all != 0 {
		waitFor(t, func() bool { all, _ := h.memory.Used(""); return all == 0 })
	}
}

// TestShutdownAnswers503: a request waiting for a slot when shutdown
// begins, one computing when the shutdown deadline nears, and one arriving
// afterwards all get a 503 JSON answer with Retry-After.
func TestShutdownAnswers503(t *testing.T) {
	h, srv := newServer(t, Config{MaxRuns: 4, CPUBudget: time.Hour})
	// Should the server not stop the map, the client does, so that the
	// test's server can close.
	reqCtx, hangUp := context.WithCancel(context.Background())
	defer hangUp()
	computing := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequestWithContext(reqCtx, "POST", srv.URL+"/api/v1/basins", strings.NewReader(heavyBasin))
		res, _ := http.DefaultClient.Do(req)
		computing <- res
	}()
	waitFor(t, func() bool { return inUse(h.heavy) == 1 })
	release := fillSlots(h.runs)
	waitFor(t, func() bool { return inUse(h.runs) == 4 }) // the map's slot and three more
	defer release()
	waiting := make(chan *http.Response, 1)
	go func() {
		res, _ := http.Get(srv.URL + smallRun)
		waiting <- res
	}()
	waitFor(t, func() bool { return len(h.runs.Stats().Waiting) == 1 })

	ctx, cancel := context.WithTimeout(context.Background(), haltMargin+200*time.Millisecond)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- h.Shutdown(ctx) }()
	for name, ch := range map[string]chan *http.Response{"waiting": waiting, "computing": computing} {
		res := <-ch
		if res == nil {
			t.Fatalf("%s request got no answer", name)
		}
		var e errorBody
		json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(e.Error, "shutting down") {
			t.Errorf("%s request: %d %q", name, res.StatusCode, e.Error)
		}
	}
	if res, _ := get(t, srv.URL+"/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a request after shutdown began: %d", res.StatusCode)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// TestHostNames: bound to loopback, the server answers only to localhost
// and loopback addresses (a rebinding name is refused); with Hosts, to
// those names; otherwise to any.
func TestHostNames(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   Config
		host  string
		allow bool
	}{
		{"loopback, localhost", Config{Loopback: true}, "localhost:8080", true},
		{"loopback, 127.0.0.1", Config{Loopback: true}, "127.0.0.1:8080", true},
		{"loopback, rebinding", Config{Loopback: true}, "evil.example:8080", false},
		{"hosts, listed", Config{Hosts: []string{"basin.example"}}, "basin.example", true},
		{"hosts, other", Config{Hosts: []string{"basin.example"}}, "evil.example", false},
		{"container", Config{}, "whatever.example:8080", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := newServer(t, tc.cfg)
			req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
			req.Host = tc.host
			res, body := do(t, req)
			if got := res.StatusCode == 200; got != tc.allow {
				t.Errorf("Host %q: %d %s", tc.host, res.StatusCode, body)
			}
		})
	}
}

// TestOriginScheme: the websocket's origin check compares scheme and port
// too; https counts as the server's own scheme only when a trusted proxy
// says so.
func TestOriginScheme(t *testing.T) {
	_, srv := newServer(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, tc := range []struct {
		origin, proto string
		ok            bool
	}{
		{"http://" + host, "", true},
		{"https://" + host, "", false},
		{"https://" + host, "https", true},
		{"http://" + host, "https", false},
		{"http://" + strings.Split(host, ":")[0] + ":1", "", false},
	} {
		hd := http.Header{"Origin": {tc.origin}}
		if tc.proto != "" {
			hd.Set("X-Forwarded-Proto", tc.proto)
		}
		c, res, err := websocket.DefaultDialer.Dial(wsURL(srv), hd)
		if c != nil {
			c.Close()
		}
		if (err == nil) != tc.ok {
			status := 0
			if res != nil {
				status = res.StatusCode
			}
			t.Errorf("Origin %s (proto %q): status %d, err %v; want allowed %v", tc.origin, tc.proto, status, err, tc.ok)
		}
	}
}

// TestLargestRunStreams: the largest run is written as it is encoded
// (chunked, no Content-Length), in JSON and CSV, and reads back whole.
func TestLargestRunStreams(t *testing.T) {
	_, srv := newServer(t, Config{})
	opts := strings.TrimSuffix(strings.Repeat("adam&opt=", runspec.OptimizersLimit), "&opt=")
	for _, format := range []string{"json", "csv"} {
		res, body := get(t, srv.URL+"/api/v1/runs?v=1&f=rosenbrock&steps=10000&opt="+opts+"&format="+format)
		if res.StatusCode != 200 || res.ContentLength != -1 || len(res.TransferEncoding) == 0 {
			t.Fatalf("%s: %d, Content-Length %d, Transfer-Encoding %v", format, res.StatusCode, res.ContentLength, res.TransferEncoding)
		}
		if format == "json" {
			var v struct {
				Runs []struct{ Points [][3]float64 }
			}
			if err := json.Unmarshal(body, &v); err != nil || len(v.Runs) != runspec.OptimizersLimit || len(v.Runs[15].Points) != 10_001 {
				t.Fatalf("json: %v, %d runs", err, len(v.Runs))
			}
			t.Logf("largest run: %d bytes of JSON", len(body))
		} else if n := strings.Count(string(body), "\n"); n != 1+runspec.OptimizersLimit*10_001 {
			t.Fatalf("csv: %d lines", n)
		}
	}
}

func TestGridSideSign(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := get(t, srv.URL+"/api/v1/landscape?f=booth&nx=%2B10")
	if res.StatusCode != 400 || !strings.Contains(string(body), `nx must be an integer in [2, 1024], got \"+10\"`) {
		t.Errorf("nx=+10: %d %s", res.StatusCode, body)
	}
}
