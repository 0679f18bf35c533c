package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-chi/chi/v5"
)

// rawGet fetches url without the transport's transparent gzip, so the test
// sees the encoding the server chose.
func rawGet(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assetPage is a page whose files refer to each other in every way the
// real one does.
var assetPage = fstest.MapFS{
	"index.html": {Data: []byte(`<!doctype html><link rel="stylesheet" href="css/a.css"><link rel="modulepreload" href="js/main.js">` +
		`<script type="module" src="js/main.js"></script><a href="https://example.org/js/x.js">out</a>`)},
	"js/main.js": {Data: []byte(`import { b } from "./b.js";
import "../vendor/lib/lib.js";
const LAZY = '../vendor/lib/big.js';
export const later = () => import(LAZY);
// ` + strings.Repeat("padding so the file is worth compressing ", 20) + "\n")},
	"js/b.js":            {Data: []byte(`export const b = 1;` + strings.Repeat("\n", 300))},
	"vendor/lib/lib.js":  {Data: []byte(`export {};`)},
	"vendor/lib/big.js":  {Data: []byte(`export {};`)},
	"css/a.css":          {Data: []byte(`body{}`)},
	"vendor/lib/LICENSE": {Data: []byte(`MIT`)},
}

func TestStaticVersionsAndCompression(t *testing.T) {
	h, srv := newServer(t, Config{Web: assetPage})
	v := h.page.version
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(v) {
		t.Fatalf("page version %q", v)
	}
	res, body := rawGet(t, srv.URL+"/")
	html := string(body)
	for _, want := range []string{`href="css/a.css?v=` + v + `"`, `href="js/main.js?v=` + v + `"`, `src="js/main.js?v=` + v + `"`, `href="https://example.org/js/x.js"`} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %s:\n%s", want, html)
		}
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("index.html Cache-Control %q, want no-cache", cc)
	}

	res, body = rawGet(t, srv.URL+"/js/main.js?v="+v, "Accept-Encoding", "gzip, deflate, br")
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Cache-Control") != cacheImmutable ||
		!strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("versioned main.js headers %v", res.Header)
	}
	js := string(gunzip(t, body))
	for _, want := range []string{`from "./b.js?v=` + v + `"`, `import "../vendor/lib/lib.js?v=` + v + `"`, `'../vendor/lib/big.js?v=` + v + `'`} {
		if !strings.Contains(js, want) {
			t.Errorf("main.js lacks %s:\n%s", want, js)
		}
	}
	gzTag := res.Header.Get("ETag")

	for _, c := range []struct {
		name, url, accept, wantCC, wantEnc string
	}{
		{"plain path, gzip accepted", "/js/main.js", "gzip", "no-cache", "gzip"},
		{"plain path, identity only", "/js/main.js", "", "no-cache", ""},
		{"gzip refused with q=0", "/js/main.js?v=" + v, "gzip;q=0, br", cacheImmutable, ""},
		{"an old version", "/js/main.js?v=000000000000", "gzip", "no-cache", "gzip"},
		{"tiny file stays plain", "/css/a.css?v=" + v, "gzip", cacheImmutable, ""},
	} {
		res, body := rawGet(t, srv.URL+c.url, "Accept-Encoding", c.accept)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != c.wantCC || res.Header.Get("Content-Encoding") != c.wantEnc {
			t.Errorf("%s: %d, Cache-Control %q, Content-Encoding %q; want %q, %q", c.name, res.StatusCode,
				res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"), c.wantCC, c.wantEnc)
		}
		if c.wantEnc == "" && strings.HasSuffix(c.url, ".js") && !strings.Contains(string(body), "./b.js?v="+v) {
			t.Errorf("%s: identity body %.60q", c.name, body)
		}
	}
	// Revalidation with either encoding's ETag is a 304 without a body.
	res, body = rawGet(t, srv.URL+"/js/main.js", "Accept-Encoding", "gzip", "If-None-Match", gzTag)
	if res.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match %s: %d with %d bytes", gzTag, res.StatusCode, len(body))
	}
}

func TestCatalogCached(t *testing.T) {
	h, srv := newServer(t, Config{})
	// The handlers themselves, without the start-up copy.
	handlers := chi.NewRouter()
	handlers.Get("/api/v1/functions", h.listFunctions)
	handlers.Get("/api/v1/functions/{id}", h.getFunction)
	handlers.Get("/api/v1/optimizers", h.listOptimizers)
	handlers.Get("/api/v1/examples", h.listExamples)
	for _, path := range []string{"/api/v1/functions", "/api/v1/functions/himmelblau", "/api/v1/optimizers", "/api/v1/examples"} {
		rec := httptest.NewRecorder()
		handlers.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		live := rec.Body.Bytes()
		if rec.Code != 200 || len(live) == 0 {
			t.Fatalf("%s answered %d by its handler", path, rec.Code)
		}
		res, body := rawGet(t, srv.URL+path, "Accept-Encoding", "gzip")
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Cache-Control") != cacheCatalog || res.Header.Get("ETag") == "" {
			t.Errorf("%s: %d %v", path, res.StatusCode, res.Header)
			continue
		}
		if got := gunzip(t, body); !bytes.Equal(got, live) {
			t.Errorf("%s: cached answer differs from the live one", path)
		}
		res, body = rawGet(t, srv.URL+path, "If-None-Match", res.Header.Get("ETag"))
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s revalidated: %d", path, res.StatusCode)
		}
	}
	if res, _ := get(t, srv.URL+"/api/v1/functions/nope"); res.StatusCode != 404 {
		t.Errorf("unknown function: %d", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/api/v1/examples?x=1"); res.StatusCode != 400 {
		t.Errorf("examples with an unknown parameter: %d, want 400", res.StatusCode)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "br, gzip": true, "gzip;q=0": false, "gzip; q=0.5": true,
		"*": true, "identity": false, "deflate, br": false, "x-gzip": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

// TestRangesCapped: a Range header of a few ranges gets them; one of many
// tiny ranges gets the whole file once instead of a response many times
// the file's size.
func TestRangesCapped(t *testing.T) {
	_, srv := newServer(t, Config{})
	whole := len(testPage["index.html"].Data)
	for _, tc := range []struct {
		ranges     int
		wantStatus int
	}{
		{1, http.StatusPartialContent},
		{RangesLimit, http.StatusPartialContent},
		{RangesLimit + 1, http.StatusOK},
		{2000, http.StatusOK},
	} {
		parts := make([]string, tc.ranges)
		for i := range parts {
			parts[i] = fmt.Sprintf("%d-%d", i%whole, i%whole)
		}
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		req.Header.Set("Range", "bytes="+strings.Join(parts, ","))
		res, body := do(t, req)
		if res.StatusCode != tc.wantStatus {
			t.Errorf("%d ranges: status %d, want %d", tc.ranges, res.StatusCode, tc.wantStatus)
		}
		if tc.wantStatus == http.StatusOK && len(body) != whole {
			t.Errorf("%d ranges: %d bytes, want the whole file's %d", tc.ranges, len(body), whole)
		}
	}
}
