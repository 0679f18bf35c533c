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

	"github.com/go-chi/chi/v5"
)

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
	hd := w.Header()
	hd.Set("ETag", f.etag)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Type", f.contentType)
	// ServeContent answers If-None-Match with 304 and handles ranges and
	// HEAD; the zero time leaves Last-Modified out.
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(f.body))
}
