package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/basin-dev/basin/internal/version"
)

func TestHealthzVersion(t *testing.T) {
	v := version.Info{Version: "devel", Revision: "4f2a9c1e7b3d5a6b", Modified: true, Go: "go1.26.8"}
	_, srv := newServer(t, Config{Version: v})
	res, body := get(t, srv.URL+"/healthz")
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil || res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if got["status"] != "ok" || got["version"] != "devel+4f2a9c1e7b3d-dirty" || got["revision"] != v.Revision || got["go"] != "go1.26.8" {
		t.Errorf("/healthz = %s", body)
	}
	_, srv = newServer(t, Config{}) // the running binary's own build
	_, body = get(t, srv.URL+"/healthz")
	if !strings.Contains(string(body), `"version":"`+version.Get().String()+`"`) {
		t.Errorf("/healthz without Config.Version = %s, want version %s", body, version.Get())
	}
}

func TestCORS(t *testing.T) {
	_, srv := newServer(t, Config{AllowedOrigins: []string{"https://notebook.example", "http://localhost:8888/"}})
	for _, c := range []struct {
		name, method, path, origin string
		preflight                  bool
		wantStatus                 int
		wantACAO                   string
	}{
		{"listed origin, GET", "GET", "/api/v1/optimizers", "https://notebook.example", false, 200, "https://notebook.example"},
		{"listed origin with a trailing slash in the list", "GET", "/api/v1/functions", "http://localhost:8888", false, 200, "http://localhost:8888"},
		{"listed origin, error answer", "GET", "/api/v1/runs?bad=1", "https://notebook.example", false, 400, "https://notebook.example"},
		{"other origin", "GET", "/api/v1/optimizers", "https://evil.example", false, 200, ""},
		{"null origin", "GET", "/api/v1/optimizers", "null", false, 200, ""},
		{"no origin (curl, scripts)", "GET", "/api/v1/optimizers", "", false, 200, ""},
		{"preflight, listed", "OPTIONS", "/api/v1/runs", "https://notebook.example", true, 204, "https://notebook.example"},
		{"preflight, other origin", "OPTIONS", "/api/v1/runs", "https://evil.example", true, 204, ""},
		{"page is not CORS", "GET", "/", "https://notebook.example", false, 200, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
			if c.origin != "" {
				req.Header.Set("Origin", c.origin)
			}
			if c.preflight {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "content-type")
			}
			res, body := do(t, req)
			if res.StatusCode != c.wantStatus {
				t.Errorf("status %d, want %d: %s", res.StatusCode, c.wantStatus, body)
			}
			acao := res.Header.Get("Access-Control-Allow-Origin")
			if acao != c.wantACAO {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", acao, c.wantACAO)
			}
			if strings.HasPrefix(c.path, "/api/") && !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Origin") {
				t.Errorf("Vary %q lacks Origin", res.Header.Values("Vary"))
			}
			if c.preflight && c.wantACAO != "" {
				if m := res.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "POST") {
					t.Errorf("Access-Control-Allow-Methods %q", m)
				}
				if hd := res.Header.Get("Access-Control-Allow-Headers"); !strings.Contains(strings.ToLower(hd), "content-type") {
					t.Errorf("Access-Control-Allow-Headers %q", hd)
				}
			}
			if c.preflight && c.wantACAO == "" && res.Header.Get("Access-Control-Allow-Methods") != "" {
				t.Errorf("refused preflight still allows methods: %v", res.Header)
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	_, off := newServer(t, Config{})
	if res, _ := get(t, off.URL+"/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics without Config.Metrics: %d, want 404", res.StatusCode)
	}
	h, srv := newServer(t, Config{Metrics: true})
	get(t, srv.URL+"/api/v1/functions/himmelblau")
	get(t, srv.URL+"/api/v1/functions/nope")
	get(t, srv.URL+"/random/path/1")
	if res, body := post(t, srv.URL+"/api/v1/basins", smallBasinSpec); res.StatusCode != 200 {
		t.Fatalf("basin map: %d %s", res.StatusCode, body)
	}
	c := dial(t, srv, nil)
	waitFor(t, func() bool { return h.openConns() == 1 })
	_, body := get(t, srv.URL+"/metrics")
	text := string(body)
	for _, want := range []string{
		`basin_http_requests_total{code="200",method="GET",route="/api/v1/functions/{id}"} 1`,
		`basin_http_requests_total{code="404",method="GET",route="unmatched"} 2`,
		`basin_http_request_duration_seconds_bucket{route="/api/v1/functions/{id}",le="+Inf"} 1`,
		"basin_websockets_open 1",
		"basin_run_slots_in_use 0",
		"basin_run_slots 16",
		"basin_heavy_slots_in_use 0",
		"basin_heavy_slots 4",
		"basin_heavy_job_duration_seconds_count 1",
		"go_goroutines",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, "/random/path") {
		t.Error("an unmatched path became a label")
	}
	c.Close()
}

func TestPrefix(t *testing.T) {
	_, srv := newServer(t, Config{Prefix: "/basin"})
	for _, c := range []struct {
		path string
		want int
	}{
		{"/basin/", 200}, {"/basin/js/main.js", 200}, {"/basin/healthz", 200},
		{"/basin/api/v1/optimizers", 200}, {"/api/v1/optimizers", 404}, {"/", 404}, {"/healthz", 404},
	} {
		res, body := get(t, srv.URL+c.path)
		if res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d: %.80s", c.path, res.StatusCode, c.want, body)
		}
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(srv.URL + "/basin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/basin/" {
		t.Errorf("/basin: %d to %q, want a redirect to /basin/", res.StatusCode, res.Header.Get("Location"))
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/basin/api/v1/ws", nil)
	if err != nil {
		t.Fatalf("websocket below the prefix: %v", err)
	}
	ws.Close()
}

// smallBasinSpec is a small basin map, quick under the race detector.
const smallBasinSpec = `{"function":"booth","optimizers":[{"name":"sgd","lr":0.05}],"steps":20,"grid":8}`
