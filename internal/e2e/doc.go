// Package e2e holds Basin's end-to-end tests: the real server
// (api.NewHandler with the embedded page) in httptest, driven by a headless
// Chromium through chromedp. The tests skip when no Chromium is installed,
// unless BASIN_REQUIRE_BROWSER=1 (CI), where a missing browser fails them.
// Screenshots go to BASIN_SCREENSHOTS, or a temporary directory.
package e2e
