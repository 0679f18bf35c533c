// Package web holds Basin's static page, embedded into the server binary.
package web

import "embed"

// Files is the page: index.html, css/, js/ (ES modules) and vendor/
// (third-party modules, see vendor/README.md). Tests for the pure modules
// live in test/ and are not embedded.
//
//go:embed index.html css js vendor
var Files embed.FS
