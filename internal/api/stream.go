package api

import (
	"net/http"
	"strconv"
)

// Answers stream to the connection as they are encoded: the largest run is
// 10 MB of JSON, a basin map 4 MB, and a thousand clients that never read
// must not make the server hold a copy of each. The encoders hand their
// buffer to a spill function at points where it may be written out; a
// stream writes it once streamChunk bytes have collected, each write
// bounded by writeWait (statusWriter), and the encoder goes on in the
// emptied buffer.

// streamChunk is how many encoded bytes collect before they are written:
// large enough that a write costs little per byte, small enough that what
// a stalled client leaves behind is negligible.
const streamChunk = 32 << 10

// spill is handed an encoder's buffer where it may be written out and
// returns the buffer to continue in. A nil spill keeps everything (tests,
// benchmarks).
type spill func(b []byte) []byte

// stream writes one answer of status 200 in chunks.
type stream struct {
	w       http.ResponseWriter
	ctype   string
	started bool
	err     error // the first write error; later writes are skipped
}

func newStream(w http.ResponseWriter, contentType string) *stream {
	return &stream{w: w, ctype: contentType}
}

// spill writes b once it holds streamChunk bytes.
func (s *stream) spill(b []byte) []byte {
	if len(b) < streamChunk {
		return b
	}
	s.write(b, false)
	return b[:0]
}

// finish writes the rest of the answer, b, with Content-Length when the
// whole answer is in it.
func (s *stream) finish(b []byte) {
	s.write(b, true)
}

func (s *stream) write(b []byte, last bool) {
	if s.err != nil {
		return
	}
	if !s.started {
		s.started = true
		hd := s.w.Header()
		hd.Set("Content-Type", s.ctype)
		if last {
			hd.Set("Content-Length", strconv.Itoa(len(b)))
		}
		s.w.WriteHeader(http.StatusOK)
	}
	_, s.err = s.w.Write(b)
}

// fail ends the answer after an encoding error: answered as an error when
// nothing is written yet, else cut, so that the client sees a broken
// answer rather than a wrong one.
func (s *stream) fail(h *Handler, r *http.Request, err error) {
	if !s.started {
		h.fail(s.w, r, err)
		return
	}
	h.log.Error("answer cut short", "path", r.URL.Path, "err", err)
	panic(http.ErrAbortHandler)
}
