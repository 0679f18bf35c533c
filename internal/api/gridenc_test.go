package api

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// decodeU16 mirrors the page's decoder (web/js/api.js parseGrid), so the
// test checks what the page will draw.
func decodeU16(t *testing.T, b []byte) (nx, ny int, values []float64) {
	t.Helper()
	if string(b[:4]) != gridMagicU16 {
		t.Fatalf("magic %q", b[:4])
	}
	nx, ny = int(binary.LittleEndian.Uint32(b[4:])), int(binary.LittleEndian.Uint32(b[8:]))
	lo := math.Float64frombits(binary.LittleEndian.Uint64(b[16:]))
	hi := math.Float64frombits(binary.LittleEndian.Uint64(b[24:]))
	n := nx * ny
	if len(b) != landscapeHeaderLen+2*n {
		t.Fatalf("%d bytes for %dx%d", len(b), nx, ny)
	}
	q := make([]uint16, n)
	for i := range n {
		d := uint16(b[landscapeHeaderLen+i]) | uint16(b[landscapeHeaderLen+n+i])<<8
		q[i] = gridPredict(q, i, nx) + d
	}
	s, l := gridQuantScale(lo, hi)
	values = make([]float64, n)
	for i, v := range q {
		if v == gridQuantNaN {
			values[i] = math.NaN()
			continue
		}
		values[i] = lo + s*math.Expm1(float64(v)/gridQuantMax*l)
	}
	return nx, ny, values
}

func TestLandscapeDisplayEncoding(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, q := range []string{
		"f=himmelblau&domain=-5,5,-5,5&nx=64&ny=48",
		"f=rastrigin&nx=33&ny=70",
		"expr=log(x)%2By&domain=-1,2,-1,2&nx=20&ny=20", // NaN where x ≤ 0
		"expr=3&nx=8&ny=8",                             // flat: max = min
	} {
		t.Run(q, func(t *testing.T) {
			res, f32 := get(t, srv.URL+"/api/v1/landscape?"+q)
			res16, u16 := get(t, srv.URL+"/api/v1/landscape?"+q+"&enc=u16")
			if res.StatusCode != 200 || res16.StatusCode != 200 {
				t.Fatalf("%d %d: %s", res.StatusCode, res16.StatusCode, u16)
			}
			if string(f32[4:landscapeHeaderLen]) != string(u16[4:landscapeHeaderLen]) {
				t.Errorf("headers differ beyond the magic")
			}
			lo := math.Float64frombits(binary.LittleEndian.Uint64(f32[16:]))
			hi := math.Float64frombits(binary.LittleEndian.Uint64(f32[24:]))
			s, _ := gridQuantScale(lo, hi)
			_, _, got := decodeU16(t, u16)
			nans := 0
			for i, g := range got {
				want := float64(math.Float32frombits(binary.LittleEndian.Uint32(f32[landscapeHeaderLen+4*i:])))
				if math.IsNaN(want) || math.IsInf(want, 0) {
					nans++
					if !math.IsNaN(g) {
						t.Fatalf("cell %d: %v decoded as %v, want NaN", i, want, g)
					}
					continue
				}
				// Half a step of the log scale, relative to the height
				// above the minimum (plus s), with float32 rounding.
				tol := 1.1e-4*(want-lo+s) + 1e-6*math.Abs(want)
				if math.Abs(g-want) > tol {
					t.Fatalf("cell %d: %v decoded as %v, off by %g > %g", i, want, g, math.Abs(g-want), tol)
				}
			}
			if q == "expr=log(x)%2By&domain=-1,2,-1,2&nx=20&ny=20" && nans == 0 {
				t.Error("the NaN case has no NaN cells")
			}
		})
	}
	res, body := get(t, srv.URL+"/api/v1/landscape?f=booth&enc=u8")
	if res.StatusCode != 400 || !strings.Contains(string(body), "enc must be f32 (the default) or u16") {
		t.Errorf("enc=u8: %d %s", res.StatusCode, body)
	}
	raw, gz := rawGet(t, srv.URL+"/api/v1/landscape?f=himmelblau&nx=256&ny=256&enc=u16", "Accept-Encoding", "gzip")
	_, f32 := rawGet(t, srv.URL+"/api/v1/landscape?f=himmelblau&nx=256&ny=256")
	if raw.Header.Get("Content-Encoding") != "gzip" || len(gz)*4 > len(f32) {
		t.Errorf("display grid: %s, %d bytes against %d for float32; want gzip and at most a quarter", raw.Header.Get("Content-Encoding"), len(gz), len(f32))
	}
	t.Logf("256² Himmelblau: float32 %d bytes, u16 gzipped %d", len(f32), len(gz))
}
