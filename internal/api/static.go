package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// RangesLimit is the most byte ranges a Range header may ask of a page
// file; beyond it the whole file is served. A browser asks for one; many
// tiny ranges only multiply the response (each part carries its own
// headers) for whoever sends them.
const RangesLimit = 4

// staticFile is one embedded file with its validator. Embedded files have no
// modification time, so the ETag is a hash of the content, computed once at
// start-up.
type staticFile struct {
	body        []byte
	etag        string
	contentType string
}

// staticFiles serves the page. Responses carry "Cache-Control: no-cache":
// the file names are not content-hashed, so browsers keep a copy but ask
// each time, and the ETag turns that into a 304 without a body.
type staticFiles struct {
	files map[string]*staticFile // by path without leading slash
}

func newStaticFiles(fsys fs.FS, log *slog.Logger) *staticFiles {
	s := &staticFiles{files: map[string]*staticFile{}}
	if fsys == nil {
		return s
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		s.files[p] = &staticFile{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, contentType: ct}
		return nil
	})
	if err != nil {
		log.Error("reading the embedded page", "err", err)
	}
	return s
}

func (s *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if p == "" {
		p = "index.html"
	}
	f, ok := s.files[p]
	if !ok {
		writeError(w, statusError(http.StatusNotFound, "not found: "+r.URL.Path))
		return
	}
	hd := w.Header()
	hd.Set("ETag", f.etag)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Type", f.contentType)
	if rg := r.Header.Get("Range"); rg != "" && strings.Count(rg, ",") >= RangesLimit {
		r = r.Clone(r.Context())
		r.Header.Del("Range")
	}
	// ServeContent answers If-None-Match with 304 and handles ranges and
	// HEAD; the zero time leaves Last-Modified out.
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(f.body))
}
