package landscape_test

import "github.com/basin-dev/basin/internal/landscape"

// benchPointCount is the length of the fixed sweep every ValueGrad benchmark
// walks, so preset and expression benchmarks measure the same work.
const benchPointCount = 1024

// benchPoints is a deterministic sweep over [-2, 2]² shared by
// BenchmarkPreset* (this package) and BenchmarkExpr* (the expression
// engineer's external test file), so their ratio compares like with like.
// The points come from a fixed linear congruential sequence, not a grid, so
// branch predictors and caches see no artificial regularity.
var benchPoints = func() []landscape.Vec {
	pts := make([]landscape.Vec, benchPointCount)
	s := uint64(0x9E3779B97F4A7C15)
	next := func() float64 {
		s = s*6364136223846793005 + 1442695040888963407
		return float64(s>>11)/float64(1<<53)*4 - 2
	}
	for i := range pts {
		pts[i] = landscape.Vec{X: next(), Y: next()}
	}
	return pts
}()
