package api

import (
	"compress/gzip"
	"encoding/binary"
	"math"
	"net/http"
)

// The landscape grid's display encoding (enc=u16): what the page draws
// needs about 4 significant digits of f − f_min, on a log scale (256
// colours, contour lines, the value under the pointer), not float32. Each
// value becomes a 16-bit step on a log scale of its height above the
// grid's minimum, sent as differences from the previous value with the low
// bytes and the high bytes in two planes, which gzip packs about five times
// tighter than the float32 grid. API clients that ask for nothing keep the
// float32 layout.
const (
	gridEncU16     = "u16"
	gridMagicU16   = "BSNQ"
	gridQuantMax   = 65534  // the largest step; 65535 marks a non-finite value
	gridQuantNaN   = 0xFFFF // NaN or ±Inf in the float32 grid
	gridQuantRange = 1 << 20
)

// gridQuantScale gives s and L of the log scale for a grid from lo to hi:
// step q stands for lo + s·(exp(q/gridQuantMax·L) − 1), where s is
// (hi − lo)/2^20, so steps are about 1.1e-4 apart relative to the height
// above lo, down to heights of s.
func gridQuantScale(lo, hi float64) (s, l float64) {
	if !(hi > lo) {
		return 0, 0
	}
	s = (hi - lo) / gridQuantRange
	return s, math.Log1p((hi - lo) / s)
}

// quantiseGrid turns a BSNL float32 grid into the BSNQ layout: the same
// 32-byte header with its own magic, then nx·ny uint16 steps in row order,
// each stored as its difference modulo 2^16 from gridPredict, all low
// bytes first and then all high bytes.
func quantiseGrid(f32 []byte) []byte {
	n := (len(f32) - landscapeHeaderLen) / 4
	out := make([]byte, landscapeHeaderLen+2*n)
	copy(out, f32[:landscapeHeaderLen])
	copy(out, gridMagicU16)
	lo := math.Float64frombits(binary.LittleEndian.Uint64(f32[16:]))
	hi := math.Float64frombits(binary.LittleEndian.Uint64(f32[24:]))
	s, l := gridQuantScale(lo, hi)
	nx := int(binary.LittleEndian.Uint32(f32[4:]))
	q := make([]uint16, n)
	for i := range n {
		v := float64(math.Float32frombits(binary.LittleEndian.Uint32(f32[landscapeHeaderLen+4*i:])))
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			q[i] = gridQuantNaN
		case l == 0:
			q[i] = 0
		default:
			t := math.Log1p(max(0, v-lo)/s) / l
			q[i] = uint16(math.Round(min(1, t) * gridQuantMax))
		}
	}
	lowPlane, highPlane := out[landscapeHeaderLen:landscapeHeaderLen+n], out[landscapeHeaderLen+n:]
	for i := range n {
		d := q[i] - gridPredict(q, i, nx)
		lowPlane[i], highPlane[i] = byte(d), byte(d>>8)
	}
	return out
}

// writeGzipped answers with b gzipped when the client accepts it: the
// display grid is computed per request anyway, and gzip of its difference
// planes costs a small fraction of sampling the function.
func writeGzipped(w http.ResponseWriter, r *http.Request, contentType string, b []byte) {
	hd := w.Header()
	hd.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		writeBody(w, http.StatusOK, contentType, b)
		return
	}
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	zw.Write(b)
	zw.Close()
}

// gridPredict guesses step i from its decoded neighbours as PNG's
// "gradient" filter does: left + up − up-left, which is exact on a plane,
// so a smooth landscape leaves differences near zero; the first row uses
// the left neighbour, the first column the one below it.
func gridPredict(q []uint16, i, nx int) uint16 {
	col, row := i%nx, i/nx
	switch {
	case i == 0:
		return 0
	case row == 0:
		return q[i-1]
	case col == 0:
		return q[i-nx]
	}
	return q[i-1] + q[i-nx] - q[i-nx-1]
}
