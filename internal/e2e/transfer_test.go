package e2e

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/web"
)

// What a visit to the default page may cost on the wire, as the browser's
// Performance API counts it (transferSize: headers and encoded bodies,
// zero for what comes from the cache), the landscape grid and the catalog
// included, and how far the layout may shift while the panels fill.
const (
	firstVisitBudget  = 250_000
	secondVisitBudget = 10_000
	layoutShiftBudget = 0.05
)

// transferJS sums transferSize over the document and every resource it
// loaded, and lists each, largest first, for the log.
const transferJS = `(() => {
	const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
	const list = all.map((e) => ({ name: e.name.replace(location.origin, ""), size: e.transferSize }));
	list.sort((a, b) => b.size - a.size);
	return { total: list.reduce((s, e) => s + e.size, 0), list: list.map((e) => e.size + " " + e.name) };
})()`

// layoutShiftJS is the page's cumulative layout shift so far (shifts
// without recent input, which is all of them on a page nobody touched).
const layoutShiftJS = `new Promise((resolve) => {
	let sum = 0;
	new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) sum += e.value; })
		.observe({ type: "layout-shift", buffered: true });
	setTimeout(() => resolve(sum), 200);
})`

type transfer struct {
	Total int      `json:"total"`
	List  []string `json:"list"`
}

// TestTransferSizeAndLayoutShift loads the default page twice in a fresh
// browser profile, from a server below a path prefix (as behind a proxy
// forwarding /basin/...), and checks the bytes each visit moved, that
// three.js stayed unloaded, and the layout shift of the first load.
func TestTransferSizeAndLayoutShift(t *testing.T) {
	srv := httptest.NewServer(api.NewHandler(api.Config{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Web: web.Files, Prefix: "/basin",
	}))
	defer srv.Close()
	// A browser context of its own: an empty cache, shared with no other test.
	tb := openTab(t, 1280, 900, chromedp.WithNewBrowserContext())
	url := srv.URL + "/basin/"

	tb.do(chromedp.Navigate(url))
	tb.waitIdle()
	first := eval[transfer](tb, transferJS)
	cls := eval[float64](tb, layoutShiftJS)
	t.Logf("first visit: %d bytes, layout shift %.4f\n%s", first.Total, cls, strings.Join(first.List, "\n"))
	if first.Total > firstVisitBudget {
		t.Errorf("first visit transferred %d bytes, budget %d", first.Total, firstVisitBudget)
	}
	if cls >= layoutShiftBudget {
		t.Errorf("layout shift on load %.4f, budget < %.2f", cls, layoutShiftBudget)
	}
	for _, e := range first.List {
		if strings.Contains(e, "/vendor/three/") {
			t.Errorf("three.js loaded with the 2D page: %s", e)
		}
		if !strings.Contains(e, "/basin/") {
			t.Errorf("a request outside the prefix: %s", e)
		}
		// The model mode and the 3D view load on first use; only their stubs come with the page.
		for _, lazy := range []string{"/js/model/mode.js", "/js/model/modelstate.js", "/js/view3d.js"} {
			if strings.Contains(e, lazy+"?") {
				t.Errorf("%s loaded with the default page: %s", lazy, e)
			}
		}
	}
	if len(first.List) < 5 {
		t.Errorf("only %d entries measured: %v", len(first.List), first.List)
	}

	tb.do(chromedp.Navigate(url)) // a second visit: a link followed again, not a forced reload
	tb.waitIdle()
	second := eval[transfer](tb, transferJS)
	t.Logf("second visit: %d bytes\n%s", second.Total, strings.Join(second.List, "\n"))
	if second.Total > secondVisitBudget {
		t.Errorf("second visit transferred %d bytes, budget %d", second.Total, secondVisitBudget)
	}

	// Opening the model mode fetches its modules by dynamic import: under
	// the page's version, like every static import, so each is fetched once.
	tb.click("#mode-model")
	tb.poll(`window.basin.model.active && window.basin.model.result !== null`)
	lazy := eval[[]string](tb, `performance.getEntriesByType("resource").map((e) => e.name.replace(location.origin, "")).filter((n) => /\/js\/[^?]*\.js(\?|$)/.test(n))`)
	seen := map[string]bool{}
	sawMode := false
	for _, n := range lazy {
		if !strings.Contains(n, "?v=") {
			t.Errorf("a module fetched without the page's version: %s", n)
		}
		path, _, _ := strings.Cut(n, "?")
		if seen[path] {
			t.Errorf("%s fetched twice", path)
		}
		seen[path] = true
		sawMode = sawMode || path == "/basin/js/model/mode.js"
	}
	if !sawMode {
		t.Errorf("the model mode opened without fetching mode.js: %v", lazy)
	}
	tb.checkClean()
}
