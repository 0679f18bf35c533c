// Package e2e holds Basin's end-to-end tests: the real server
// (api.NewHandler with the embedded page) in httptest, driven by a headless
// Chromium through chromedp. When no Chromium is installed the suite prints
// one line and skips, unless BASIN_REQUIRE_BROWSER=1 (CI), where a missing
// browser fails it; an installed Chromium that does not start always fails
// it, with the reason.
// Screenshots are taken only when BASIN_SCREENSHOTS names a directory for them.
package e2e
