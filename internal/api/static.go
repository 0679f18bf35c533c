package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

// RangesLimit is the most byte ranges a Range header may ask of a page
// file; beyond it the whole file is served. A browser asks for one; many
// tiny ranges only multiply the response (each part carries its own
// headers) for whoever sends them.
const RangesLimit = 4

// Cache-Control of the page's files. A URL carrying the current version
// (?v=, a hash of every file of the page) names bytes that never change, so
// browsers keep it a year without asking; index.html and the plain paths
// (/js/main.js) are revalidated each time, and the ETag makes that a 304.
const (
	cacheImmutable   = "public, max-age=31536000, immutable"
	cacheRevalidate  = "no-cache"
	versionParam     = "v"
	versionHexDigits = 12
)

// staticFiles serves the page. At start-up it stamps every reference
// between the page's files (index.html's links and scripts, the modules'
// relative imports) with the page's version, and compresses each file once.
type staticFiles struct {
	version string
	files   map[string]*encoded // by path without leading slash
}

// The references the version is added to: attributes of index.html that
// point into the page's directories, and relative module specifiers
// ("./x.js", "../vendor/y.js") in JavaScript. Every module is referred to
// the same way, so each is loaded once, under one URL.
var (
	htmlRef = regexp.MustCompile(`(\s(?:href|src)=")((?:css|js|vendor)/[^"?#]+)(")`)
	jsRef   = regexp.MustCompile(`(["'])(\.\.?/[^"'?#\s]+\.js)(["'])`)
)

// embeddedPages caches the start-up work per embedded page: tests build
// many handlers around the same web.Files.
var embeddedPages sync.Map // embed.FS → *staticFiles

func newStaticFiles(fsys fs.FS, log *slog.Logger) *staticFiles {
	if fsys == nil {
		return &staticFiles{files: map[string]*encoded{}}
	}
	if e, ok := fsys.(embed.FS); ok {
		if s, ok := embeddedPages.Load(e); ok {
			return s.(*staticFiles)
		}
		s, err := loadStaticFiles(fsys)
		if err != nil {
			log.Error("reading the embedded page", "err", err)
		}
		embeddedPages.Store(e, s)
		return s
	}
	s, err := loadStaticFiles(fsys)
	if err != nil {
		log.Error("reading the page", "err", err)
	}
	return s
}

func loadStaticFiles(fsys fs.FS) (*staticFiles, error) {
	raw := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		raw[p] = body
		return err
	})
	s := &staticFiles{version: pageVersion(raw), files: make(map[string]*encoded, len(raw))}
	for p, body := range raw {
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		s.files[p] = newEncoded(s.stamp(p, body), ct)
	}
	return s, err
}

// pageVersion hashes every file with its path: any change to the page
// gives every URL a new version.
func pageVersion(raw map[string][]byte) string {
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(raw)) {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(raw[p])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:versionHexDigits]
}

// stamp adds ?v=<version> to the references in body, a file at path p.
func (s *staticFiles) stamp(p string, body []byte) []byte {
	q := []byte("$1$2?" + versionParam + "=" + s.version + "$3")
	switch {
	case p == "index.html":
		return htmlRef.ReplaceAll(body, q)
	case strings.HasSuffix(p, ".js"):
		return jsRef.ReplaceAll(body, q)
	}
	return body
}

func (s *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	// The route's wildcard is the path below the root or Config.Prefix.
	p := strings.TrimPrefix(path.Clean("/"+chi.URLParam(r, "*")), "/")
	if p == "" {
		p = "index.html"
	}
	f, ok := s.files[p]
	if !ok {
		writeError(w, statusError(http.StatusNotFound, "not found: "+r.URL.Path))
		return
	}
	cc := cacheRevalidate
	if p != "index.html" && r.URL.Query().Get(versionParam) == s.version {
		cc = cacheImmutable
	}
	if rg := r.Header.Get("Range"); rg != "" && strings.Count(rg, ",") < RangesLimit {
		// A few ranges are served from the identity body; many tiny
		// ranges get the whole file once (below) instead of a response
		// many times its size. ServeContent answers If-None-Match with
		// 304 and handles HEAD; the zero time leaves Last-Modified out.
		hd := w.Header()
		hd.Set("ETag", f.etag)
		hd.Set("Cache-Control", cc)
		hd.Set("Content-Type", f.contentType)
		http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(f.body))
		return
	}
	f.serve(w, r, cc)
}
