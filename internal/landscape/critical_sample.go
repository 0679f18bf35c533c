package landscape

import (
	"context"
	"math"
	"slices"
	"sync"
)

// boxSample is f on a CriticalSampleSide² grid over the box, edges
// included: v[j*n+i] is f at (x_i, y_j), x_0 = XMin and x_{n-1} = XMax.
type boxSample struct {
	d       Domain
	n       int
	v       []float64
	finite  int     // values that are finite
	negInf  bool    // some value is -Inf
	lowest  float64 // lowest finite value (+Inf if none)
	lowAt   int     // its index
	highest float64 // highest finite value (-Inf if none)
	evals   int
}

// at is the grid point of index k.
func (b *boxSample) at(k int) Vec {
	return Vec{gridCoord(b.d.XMin, b.d.XMax, k%b.n, b.n), gridCoord(b.d.YMin, b.d.YMax, k/b.n, b.n)}
}

// sampleBox evaluates f on the grid, rows shared out over workers; the
// result does not depend on how many.
func sampleBox(ctx context.Context, f Function, d Domain, workers int) (*boxSample, error) {
	n := CriticalSampleSide
	b := &boxSample{d: d, n: n, v: make([]float64, n*n), lowest: math.Inf(1), lowAt: -1, highest: math.Inf(-1), evals: n * n}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for j := w; j < n; j += workers {
				if ctx.Err() != nil {
					return
				}
				clearUpper() // see avx_simd.go
				y := gridCoord(d.YMin, d.YMax, j, n)
				row := b.v[j*n : (j+1)*n]
				for i := range row {
					row[i] = f.Value(Vec{gridCoord(d.XMin, d.XMax, i, n), y})
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for k, v := range b.v {
		switch {
		case math.IsInf(v, -1):
			b.negInf = true
		case math.IsNaN(v) || math.IsInf(v, 1):
		default:
			b.finite++
			if v < b.lowest {
				b.lowest, b.lowAt = v, k
			}
			b.highest = math.Max(b.highest, v)
		}
	}
	return b, nil
}

// seeds returns the grid's local minima, at most limit of them, lowest
// first: finite values no higher than any finite neighbour among the eight
// around them in the box. Of equal neighbours only the first in row-major
// order counts, so a plateau gives one seed, not one per point.
func (b *boxSample) seeds(limit int) []Vec {
	n := b.n
	var ks []int
	for k, v := range b.v {
		if math.IsNaN(v) || math.IsInf(v, 1) {
			continue
		}
		i, j := k%n, k/n
		min := true
		for dj := -1; dj <= 1 && min; dj++ {
			for di := -1; di <= 1; di++ {
				ii, jj := i+di, j+dj
				if (di == 0 && dj == 0) || ii < 0 || jj < 0 || ii >= n || jj >= n {
					continue
				}
				kk := jj*n + ii
				w := b.v[kk]
				if w < v || (w == v && kk < k) {
					min = false
					break
				}
			}
		}
		if min {
			ks = append(ks, k)
		}
	}
	slices.SortStableFunc(ks, func(a, c int) int {
		switch {
		case b.v[a] < b.v[c]:
			return -1
		case b.v[a] > b.v[c]:
			return 1
		}
		return a - c
	})
	if len(ks) > limit {
		ks = ks[:limit]
	}
	out := make([]Vec, len(ks))
	for i, k := range ks {
		out[i] = b.at(k)
	}
	return out
}
