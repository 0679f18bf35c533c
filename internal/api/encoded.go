package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// minCompress is the smallest body worth compressing: below it the gzip
// header and trailer eat most of the saving.
const minCompress = 256

// encoded is a body fixed at start-up with its ETag and, when that saves
// bytes, its gzip encoding, so no request ever compresses anything.
// Brotli is left out: measured on the page, the pure-Go encoder at its best
// level saved about 13% over gzip -9 and took seconds of start-up for it.
type encoded struct {
	body        []byte
	gz          []byte // nil when gzip would not be smaller
	etag        string // quoted, of the identity body
	contentType string
}

func newEncoded(body []byte, contentType string) *encoded {
	sum := sha256.Sum256(body)
	e := &encoded{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, contentType: contentType}
	if len(body) >= minCompress && compressible(contentType) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			e.gz = buf.Bytes()
		}
	}
	return e
}

// compressible says whether a content type is text worth compressing
// (images and the like are compressed already).
func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "javascript") ||
		strings.Contains(contentType, "json") || strings.Contains(contentType, "svg")
}

// gzipETag is the ETag of the gzip representation: a strong ETag names one
// sequence of bytes, so each encoding has its own.
func (e *encoded) gzipETag() string { return strings.TrimSuffix(e.etag, `"`) + `-gz"` }

// serve answers r with the body, gzipped when the client accepts it, and
// 304 when the client's copy (either encoding) is current.
func (e *encoded) serve(w http.ResponseWriter, r *http.Request, cacheControl string) {
	hd := w.Header()
	hd.Set("Content-Type", e.contentType)
	hd.Set("Cache-Control", cacheControl)
	if e.gz != nil {
		hd.Add("Vary", "Accept-Encoding")
	}
	body, etag := e.body, e.etag
	if e.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = e.gz, e.gzipETag()
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && (etagListed(inm, e.etag) || (e.gz != nil && etagListed(inm, e.gzipETag()))) {
		hd.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				q, _ = strconv.ParseFloat(v, 64)
			}
		}
		return q > 0
	}
	return false
}

// etagListed says whether an If-None-Match header names etag (weakly, as
// RFC 9110 compares for If-None-Match), or is "*".
func etagListed(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
