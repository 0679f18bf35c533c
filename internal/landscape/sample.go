package landscape

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// MaxGridSide is the largest number of grid points along either axis that
// Sample accepts. A 1024 × 1024 grid is 4 MiB of float32 and about 40 ms of
// Ackley on two idle cores; it is sharper than any heat map a screen shows,
// and the bound keeps one request from claiming unbounded memory and time.
const MaxGridSide = 1024

// ErrGrid reports grid sizes Sample cannot fill; the message says why.
var ErrGrid = errors.New("landscape: invalid grid")

// ErrDomain reports a box Sample or FindCritical cannot work on: empty,
// reversed, or not finite (NaN, infinite, or so wide its width overflows).
var ErrDomain = errors.New("landscape: invalid domain")

// CheckDomain returns an error wrapping ErrDomain unless d is a finite box
// with XMin < XMax and YMin < YMax whose sides are finite too.
func CheckDomain(d Domain) error {
	w, h := d.XMax-d.XMin, d.YMax-d.YMin
	if !(w > 0 && h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return fmt.Errorf("%w: want finite xmin < xmax and ymin < ymax, got [%v, %v] × [%v, %v]",
			ErrDomain, d.XMin, d.XMax, d.YMin, d.YMax)
	}
	return nil
}

// Sample evaluates f on an nx × ny grid over box and writes the values to
// dst, which must have length nx*ny. The layout is the one of the landscape
// endpoint (docs/DESIGN.md): row-major, row j holding y_j from box.YMin
// (j = 0) up to box.YMax, x ascending within a row, edges included, so
// x_i = XMin + i*(XMax-XMin)/(nx-1) and the last point is exactly XMax.
//
// Values are stored as float32: NaN where f is undefined, ±Inf where f is
// infinite or beyond float32's range. min and max are taken over the finite
// float64 values; they are NaN if there is none.
//
// The rows are split over runtime.GOMAXPROCS(0) goroutines; nothing is
// allocated per point. ctx is checked between rows; if it ends the work,
// Sample returns its error and dst is partly written.
func Sample(ctx context.Context, f Function, box Domain, nx, ny int, dst []float32) (min, max float64, err error) {
	if err := checkGrid(box, nx, ny, len(dst)); err != nil {
		return math.NaN(), math.NaN(), err
	}
	workers := runtime.GOMAXPROCS(0)
	if workers > ny {
		workers = ny
	}
	type extent struct{ lo, hi float64 }
	ext := make([]extent, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			lo, hi := math.Inf(1), math.Inf(-1)
			// Contiguous blocks of rows, one per worker.
			for j := w * ny / workers; j < (w+1)*ny/workers; j++ {
				if ctx.Err() != nil {
					break
				}
				clearUpper() // see avx_simd.go
				y := gridCoord(box.YMin, box.YMax, j, ny)
				row := dst[j*nx : (j+1)*nx]
				for i := range row {
					v := f.Value(Vec{gridCoord(box.XMin, box.XMax, i, nx), y})
					row[i] = float32(v)
					// NaN fails both tests; infinities are excluded.
					if v < lo && !math.IsInf(v, -1) {
						lo = v
					}
					if v > hi && !math.IsInf(v, 1) {
						hi = v
					}
				}
			}
			ext[w] = extent{lo, hi}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return math.NaN(), math.NaN(), err
	}
	min, max = math.Inf(1), math.Inf(-1)
	for _, e := range ext {
		min = math.Min(min, e.lo)
		max = math.Max(max, e.hi)
	}
	if math.IsInf(min, 1) {
		return math.NaN(), math.NaN(), nil // no finite value
	}
	return min, max, nil
}

// gridCoord returns the i-th of n points from lo to hi, edges exact.
func gridCoord(lo, hi float64, i, n int) float64 {
	if i == n-1 {
		return hi
	}
	return lo + float64(i)*(hi-lo)/float64(n-1)
}

// checkGrid validates a Sample request.
func checkGrid(box Domain, nx, ny, n int) error {
	switch {
	case nx < 2 || ny < 2 || nx > MaxGridSide || ny > MaxGridSide:
		return fmt.Errorf("%w: grid must be between 2 and %d points per side, got %d × %d", ErrGrid, MaxGridSide, nx, ny)
	case n != nx*ny:
		return fmt.Errorf("%w: destination holds %d values, want %d × %d = %d", ErrGrid, n, nx, ny, nx*ny)
	}
	return CheckDomain(box)
}
