package e2e

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/web"
)

// Timeouts of the suite: one test's whole budget, and how long to wait for
// the page to reach a state. Generous: CI runs the server under the race
// detector, and tests share two cores.
const (
	testTimeout = 90 * time.Second
	waitTimeout = 30 * time.Second
)

// chromiumNames are the executables tried, in order, when BASIN_CHROMIUM is unset.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	serverURL     string
	screenshotDir string
)

func TestMain(m *testing.M) {
	// Without Chromium the suite says so in one line and runs nothing
	// (TestDevServe needs no browser and still runs when asked for). With
	// Chromium, a browser that does not start fails every test with the
	// reason (browser below): a broken browser is not a missing one.
	if findChromium() == "" && os.Getenv("BASIN_REQUIRE_BROWSER") != "1" && os.Getenv("BASIN_DEV_ADDR") == "" {
		fmt.Printf("e2e: browser tests skipped: no Chromium found (tried %s; set BASIN_CHROMIUM, or BASIN_REQUIRE_BROWSER=1 to fail)\n",
			strings.Join(chromiumNames, ", "))
		os.Exit(0)
	}
	flag.Parse()
	setParallel()
	mux := http.NewServeMux()
	mux.Handle("/", api.NewHandler(api.Config{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Web:    web.Files,
	}))
	mux.HandleFunc("GET "+parkPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, parkPage)
	})
	srv := httptest.NewServer(mux)
	serverURL = srv.URL
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	srv.Close()
	os.Exit(code)
}

// tabsPerCPU is how many browser tests run at once per CPU unless
// -parallel says otherwise. A browser test spends much of its time waiting
// (for the server's runs, the page's frames, DevTools round trips), so with
// as many at once as CPUs (go test's default) the cores sat partly idle:
// on 2 shared cores, a third of the suite took 171 to 184 s with 2 at once
// and 122 s with 4, for the same CPU time.
const tabsPerCPU = 2

// setParallel raises -parallel to tabsPerCPU per CPU when it was not given.
func setParallel() {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", strconv.Itoa(tabsPerCPU*runtime.GOMAXPROCS(0)))
	}
}

func findChromium() string {
	if p := os.Getenv("BASIN_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// browser starts one headless Chromium for the whole test binary, with a
// fresh profile and nothing that talks to the network on its own.
func browser(t testing.TB) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		path := findChromium()
		if path == "" {
			browserErr = fmt.Errorf("no Chromium found (tried %s; set BASIN_CHROMIUM)", strings.Join(chromiumNames, ", "))
			return
		}
		dir, err := os.MkdirTemp("", "basin-e2e-profile-")
		if err != nil {
			browserErr = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.UserDataDir(dir),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			// Less work per tab: no extensions, translation or audio, and
			// no throttling of the tabs that are not in front, which would
			// slow the tests running in them in parallel.
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
			chromedp.Flag("disable-client-side-phishing-detection", true),
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.Flag("mute-audio", true),
			chromedp.WindowSize(1280, 900),
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		if err := chromedp.Do(bctx); err != nil { // starts the browser
			bcancel()
			acancel()
			browserErr = fmt.Errorf("Chromium at %s is installed but did not start: %w", path, err)
			return
		}
		browserCtx = bctx
		browserCancel = func() { bcancel(); acancel(); os.RemoveAll(dir) }
	})
	if browserErr != nil {
		t.Fatalf("browser: %v", browserErr)
	}
	return browserCtx
}

// tab is one test's use of a browser tab, with the test's deadline.
type tab struct {
	t   testing.TB
	ctx context.Context
	bt  *browserTab
	// reusable is false once the test has changed the tab in a way that a
	// page load does not undo (emulated media, a user agent).
	reusable bool
}

// browserTab is a Chromium tab with its console record. Tabs outlive
// tests: opening one costs Chromium about 3 s of CPU (a renderer, a
// V8 context compiling every module), loading the page again in an
// open one under 2 s, and on two cores the suite is bound by that CPU.
// So tests borrow tabs from tabPool and give them back when they pass.
type browserTab struct {
	ctx   context.Context
	close context.CancelFunc

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// tabPool holds the open tabs no test is using; it grows to the number
// of tabs in use at once.
var tabPool struct {
	mu   sync.Mutex
	idle []*browserTab
}

// parkPath is the page a tab shows between tests, served by the test
// server beside Basin: a page of the same site on which nothing runs, so
// the last test's page (its websocket, its timers) is gone while the tab
// keeps its renderer process. Parked on about:blank, the next load cost
// most of what reuse saves (34 CPU-s per ten loads against 24), as a
// load in a new renderer process would; parked on a
// JSON answer, Chromium asked for /favicon.ico and logged the 404 into
// the next test's console.
const (
	parkPath = "/e2e-park"
	parkPage = `<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>parked</title></head><body></body></html>`
)

func parkURL() string { return serverURL + parkPath }

// watchScript records securitypolicyviolation events from the very start
// of every document, before the page's own scripts run.
const watchScript = `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + (e.lineNumber || 0));
});`

// newTab opens a tab with a width x height viewport. Tests that use it run
// in parallel with each other (as many as -parallel, tabsPerCPU per CPU by
// default), each in its own tab of the one browser: most of a browser test
// is waiting, so this keeps the suite short.
func newTab(t *testing.T, width, height int64) *tab {
	t.Helper()
	if _, again := parallelTests.LoadOrStore(t, true); !again { // a test's second tab: already parallel
		t.Parallel()
	}
	return openTab(t, width, height)
}

// parallelTests holds the tests that have called t.Parallel, which may be called once.
var parallelTests sync.Map

// newSerialTab is newTab for a test that must run alone, such as a timing.
func newSerialTab(t testing.TB, width, height int64) *tab {
	t.Helper()
	return openTab(t, width, height)
}

// openTab gives the test a tab with a width x height viewport: an idle
// one from tabPool, or, when none is idle or opts ask for something of
// their own (a fresh browser context), a new one. The test's end gives
// the tab back, or closes it when the test failed or changed it.
func openTab(t testing.TB, width, height int64, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	var bt *browserTab
	if len(opts) == 0 {
		bt = borrowTab()
	}
	if bt == nil {
		bt = newBrowserTab(t, opts...)
	}
	ctx, cancel := context.WithTimeout(bt.ctx, testTimeout)
	tb := &tab{t: t, ctx: ctx, bt: bt, reusable: len(opts) == 0}
	t.Cleanup(func() {
		cancel()
		tb.release()
	})
	// Every viewport is set afresh, touch and mobile emulation included.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	return tb
}

func borrowTab() *browserTab {
	tabPool.mu.Lock()
	defer tabPool.mu.Unlock()
	n := len(tabPool.idle)
	if n == 0 {
		return nil
	}
	bt := tabPool.idle[n-1]
	tabPool.idle = tabPool.idle[:n-1]
	return bt
}

// newBrowserTab opens a tab that records its console and CSP violations.
func newBrowserTab(t testing.TB, opts ...chromedp.ContextOption) *browserTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), opts...)
	bt := &browserTab{ctx: ctx, close: cancel}
	// The tab is created by its first action, which must run on the tab's
	// own context: a deadline on that first context would close the tab
	// when it passed.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("new tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript}); err != nil {
		cancel()
		t.Fatalf("add script: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			bt.mu.Lock()
			bt.console = append(bt.console, m)
			bt.mu.Unlock()
		}
	}()
	return bt
}

// release ends the test's use of its tab: a tab from a passed test that
// changed nothing a page load keeps is parked, its console emptied, and
// put back in tabPool; any other is closed.
func (tb *tab) release() {
	bt := tb.bt
	if !tb.reusable || tb.t.Failed() {
		bt.close()
		return
	}
	ctx, cancel := context.WithTimeout(bt.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(parkURL())); err != nil {
		bt.close()
		return
	}
	if err := bt.flushConsole(ctx); err != nil {
		bt.close()
		return
	}
	bt.mu.Lock()
	bt.console = nil
	bt.mu.Unlock()
	tabPool.mu.Lock()
	tabPool.idle = append(tabPool.idle, bt)
	tabPool.mu.Unlock()
}

// changesTab marks the test's tab as changed beyond what loading a page
// resets, so that no other test gets it.
func (tb *tab) changesTab() { tb.reusable = false }

// open loads the page at query (with or without "?") and waits until its
// first run has finished and the landscape is drawn.
func (tb *tab) open(query string) {
	tb.t.Helper()
	u := serverURL + "/"
	if query != "" {
		u += "?" + strings.TrimPrefix(query, "?")
	}
	tb.do(chromedp.Navigate(u))
	tb.waitIdle()
}

// waitIdle waits until the page has loaded, has a landscape, the newest
// run is on screen and finished, and the address bar holds the state (the
// page throttles URL writes, so a link read any earlier may be stale).
func (tb *tab) waitIdle() {
	tb.t.Helper()
	tb.poll(`window.basin && window.basin.ready && window.basin.land !== null && !window.basin.pending && window.basin.run && window.basin.run.done && !window.basin.urlPending`)
	tb.afterFrame()
}

// clickInPanel clicks, with the mouse, an element of the side panel (the
// optimizer rows and what lies below them) once the rows' hints are
// settled: a run's advice adds its sentence under a row some time after the
// run ends (outcomes.js), moving everything below it, and a press and a
// release that straddle the move click nothing.
func (tb *tab) clickInPanel(sel string) {
	tb.t.Helper()
	tb.poll(`!(window.basin && window.basin.advising)`)
	tb.afterFrame()
	tb.do(chromedp.Click(chromedp.CSS(sel)))
}

// afterFrame waits until the page has drawn a frame after everything it
// has been told so far: the page asks for its frame in the handler that
// changes its state, so by the second animation frame requested after that
// the page's drawing has run. Tests read canvases only after it.
func (tb *tab) afterFrame() {
	tb.t.Helper()
	eval[bool](tb, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
}

// waitScrollStill waits until the page's scroll position has held for a
// few animation frames. A Space typed through the DevTools protocol arrives
// as a separate char event, which scrolls the page even when the keydown
// was handled; a click aimed during that smooth scroll lands where the
// element was.
func (tb *tab) waitScrollStill() {
	tb.t.Helper()
	eval[bool](tb, `new Promise((resolve) => {
		let x = scrollX, y = scrollY, same = 0;
		const check = () => {
			if (scrollX === x && scrollY === y) {
				if (++same >= 3) return resolve(true);
			} else {
				x = scrollX; y = scrollY; same = 0;
			}
			requestAnimationFrame(check);
		};
		requestAnimationFrame(check);
	})`)
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%v", err)
	}
}

func (tb *tab) poll(expr string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(waitTimeout))); err != nil {
		tb.shot("timeout")
		// What the page was doing, to tell a slow machine from a stuck page.
		state, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](pageStateJS))
		tb.t.Fatalf("waiting for %s: %v\npage: %s", expr, err, state)
	}
}

// pageStateJS describes the page's state for a failed wait.
const pageStateJS = `(() => {
	const b = window.basin || {}, a = document.activeElement;
	return JSON.stringify({
		url: location.search, focus: a ? a.tagName + "#" + a.id : null, ready: b.ready, pending: b.pending ? b.pending.id : null,
		run: b.run ? { id: b.run.id, done: b.run.done } : null, land: !!b.land, urlPending: b.urlPending,
		playing: b.anim ? b.anim.playing : null, t: b.anim ? b.anim.t : null,
		expr: document.getElementById("expr")?.value, play: document.getElementById("play")?.textContent,
	});
})()`

// eval runs a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// shot saves a screenshot of the viewport as <dir>/<test>-<name>.png when
// BASIN_SCREENSHOTS names a directory, and returns its path. Without it no
// screenshot is taken: one costs the browser a full PNG encode, and nobody
// would look at it.
func (tb *tab) shot(name string) string {
	tb.t.Helper()
	dir := os.Getenv("BASIN_SCREENSHOTS")
	if dir == "" {
		return ""
	}
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatalf("screenshot dir: %v", err)
	}
	p := filepath.Join(dir, strings.ReplaceAll(tb.t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	tb.t.Logf("screenshot %s", p)
	return p
}

// checkClean fails the test on console errors, uncaught exceptions and CSP
// violations. expected lists substrings of browser-log errors the test
// caused on purpose: Chromium logs every 4xx answer to fetch ("Failed to
// load resource"), including the 400 that carries a bad expression's message.
func (tb *tab) checkClean(expected ...string) {
	tb.t.Helper()
	v := eval[[]string](tb, `window.__cspViolations || []`)
	for _, s := range v {
		tb.t.Errorf("securitypolicyviolation: %s", s)
	}
	if err := tb.bt.flushConsole(tb.ctx); err != nil {
		tb.t.Fatalf("%v", err)
	}
	tb.bt.mu.Lock()
	defer tb.bt.mu.Unlock()
next:
	for _, m := range tb.bt.console {
		for _, e := range expected {
			if m.Type == chromedp.ConsoleError && strings.Contains(m.URL+" "+m.Text, e) {
				continue next
			}
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			tb.t.Errorf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1)
		}
	}
}

// flushConsole waits until every console message the tab's page has
// logged so far is in bt.console. The console events arrive in order:
// once a marker logged now is in, so is everything logged before it.
func (bt *browserTab) flushConsole(ctx context.Context) error {
	mark := fmt.Sprintf("basin-e2e-mark-%d", markSeq.Add(1))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(console.debug(`+jsString(mark)+`), true)`)); err != nil {
		return fmt.Errorf("console marker: %w", err)
	}
	deadline := time.Now().Add(waitTimeout)
	for !bt.logged(mark) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the console marker %s never arrived", mark)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// markSeq numbers flushConsole's markers.
var markSeq atomic.Int64

// logged reports whether the console has shown a message with this text.
func (bt *browserTab) logged(text string) bool {
	bt.mu.Lock()
	defer bt.mu.Unlock()
	for _, m := range bt.console {
		if m.Text == text {
			return true
		}
	}
	return false
}
