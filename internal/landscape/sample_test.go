package landscape_test

import (
	"context"
	"errors"
	"math"
	"runtime"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestSample checks layout, edges, NaN handling and the finite extent on a
// few grids, with one worker and with several.
func TestSample(t *testing.T) {
	tests := []struct {
		name   string
		f      landscape.Function
		box    landscape.Domain
		nx, ny int
	}{
		{"himmelblau square", landscape.Himmelblau{}, landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}, 41, 41},
		{"rosenbrock wide", landscape.Rosenbrock{}, landscape.Domain{XMin: -2, XMax: 2, YMin: -1, YMax: 3}, 97, 13},
		{"tiny", landscape.Quadratic{}, landscape.Domain{XMin: 0.1, XMax: 0.3, YMin: -0.7, YMax: 0.9}, 2, 2},
		{"undefined half", halfLog{}, landscape.Domain{XMin: -1, XMax: 3, YMin: -1, YMax: 1}, 9, 5},
	}
	for _, tt := range tests {
		for _, procs := range []int{1, 3} {
			t.Run(tt.name, func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				dst := make([]float32, tt.nx*tt.ny)
				lo, hi, err := landscape.Sample(context.Background(), tt.f, tt.box, tt.nx, tt.ny, dst)
				if err != nil {
					t.Fatal(err)
				}
				wantLo, wantHi := math.Inf(1), math.Inf(-1)
				for j := 0; j < tt.ny; j++ {
					for i := 0; i < tt.nx; i++ {
						x := tt.box.XMin + float64(i)*(tt.box.XMax-tt.box.XMin)/float64(tt.nx-1)
						y := tt.box.YMin + float64(j)*(tt.box.YMax-tt.box.YMin)/float64(tt.ny-1)
						if i == tt.nx-1 {
							x = tt.box.XMax
						}
						if j == tt.ny-1 {
							y = tt.box.YMax
						}
						v := tt.f.Value(landscape.Vec{X: x, Y: y})
						got := dst[j*tt.nx+i]
						if math.IsNaN(v) {
							if !math.IsNaN(float64(got)) {
								t.Fatalf("(%d,%d): got %v, want NaN", i, j, got)
							}
							continue
						}
						if got != float32(v) {
							t.Fatalf("(%d,%d) at (%v,%v): got %v, want %v", i, j, x, y, got, float32(v))
						}
						wantLo, wantHi = math.Min(wantLo, v), math.Max(wantHi, v)
					}
				}
				if lo != wantLo || hi != wantHi {
					t.Errorf("extent (%v, %v), want (%v, %v)", lo, hi, wantLo, wantHi)
				}
			})
		}
	}
}

// TestSampleEdges pins the corners of the layout: row 0 is YMin, the last
// row YMax, and both x edges are exact.
func TestSampleEdges(t *testing.T) {
	box := landscape.Domain{XMin: -0.3, XMax: 0.7, YMin: 0.1, YMax: 0.9}
	dst := make([]float32, 7*3)
	if _, _, err := landscape.Sample(context.Background(), probe{}, box, 7, 3, dst); err != nil {
		t.Fatal(err)
	}
	corners := map[int]float64{0: probe{}.Value(landscape.Vec{X: box.XMin, Y: box.YMin}),
		6:  probe{}.Value(landscape.Vec{X: box.XMax, Y: box.YMin}),
		14: probe{}.Value(landscape.Vec{X: box.XMin, Y: box.YMax}),
		20: probe{}.Value(landscape.Vec{X: box.XMax, Y: box.YMax})}
	for k, v := range corners {
		if dst[k] != float32(v) {
			t.Errorf("dst[%d] = %v, want %v", k, dst[k], float32(v))
		}
	}
}

// probe is 1000x + y, which tells positions apart.
type probe struct{}

func (probe) Value(p landscape.Vec) float64 { return 1000*p.X + p.Y }
func (f probe) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: 1000, Y: 1}
}

// constNaN is undefined everywhere.
type constNaN struct{}

func (constNaN) Value(landscape.Vec) float64 { return math.NaN() }
func (constNaN) ValueGrad(landscape.Vec) (float64, landscape.Vec) {
	return math.NaN(), landscape.Vec{X: math.NaN(), Y: math.NaN()}
}

// infinite is +Inf on the left half.
type infinite struct{}

func (infinite) Value(p landscape.Vec) float64 {
	if p.X < 0 {
		return math.Inf(1)
	}
	return p.X
}
func (f infinite) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: 1}
}

func TestSampleNonFinite(t *testing.T) {
	box := landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	dst := make([]float32, 9)
	lo, hi, err := landscape.Sample(context.Background(), constNaN{}, box, 3, 3, dst)
	if err != nil || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("all NaN: extent (%v, %v), err %v; want NaN, NaN, nil", lo, hi, err)
	}
	lo, hi, err = landscape.Sample(context.Background(), infinite{}, box, 3, 3, dst)
	if err != nil || lo != 0 || hi != 1 || !math.IsInf(float64(dst[0]), 1) {
		t.Errorf("half infinite: extent (%v, %v), dst[0] %v, err %v; want 0, 1, +Inf, nil", lo, hi, dst[0], err)
	}
}

func TestSampleErrors(t *testing.T) {
	box := landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	tests := []struct {
		name   string
		box    landscape.Domain
		nx, ny int
		n      int
		want   error
	}{
		{"one column", box, 1, 5, 5, landscape.ErrGrid},
		{"too wide", box, landscape.MaxGridSide + 1, 2, 2 * (landscape.MaxGridSide + 1), landscape.ErrGrid},
		{"short dst", box, 4, 4, 15, landscape.ErrGrid},
		{"empty box", landscape.Domain{XMin: 1, XMax: 1, YMin: -1, YMax: 1}, 4, 4, 16, landscape.ErrDomain},
		{"reversed box", landscape.Domain{XMin: -1, XMax: 1, YMin: 1, YMax: -1}, 4, 4, 16, landscape.ErrDomain},
		{"NaN box", landscape.Domain{XMin: math.NaN(), XMax: 1, YMin: -1, YMax: 1}, 4, 4, 16, landscape.ErrDomain},
		{"infinite box", landscape.Domain{XMin: -1, XMax: math.Inf(1), YMin: -1, YMax: 1}, 4, 4, 16, landscape.ErrDomain},
		{"overflowing width", landscape.Domain{XMin: -math.MaxFloat64, XMax: math.MaxFloat64, YMin: -1, YMax: 1}, 4, 4, 16, landscape.ErrDomain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := landscape.Sample(context.Background(), landscape.Quadratic{}, tt.box, tt.nx, tt.ny, make([]float32, tt.n))
			if !errors.Is(err, tt.want) {
				t.Errorf("Sample: err = %v, want %v", err, tt.want)
			}
			if tt.want != landscape.ErrDomain {
				return
			}
			if _, err := landscape.FindCritical(context.Background(), landscape.Quadratic{}, tt.box); !errors.Is(err, tt.want) {
				t.Errorf("FindCritical: err = %v, want %v", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := landscape.Sample(ctx, landscape.Quadratic{}, box, 8, 8, make([]float32, 64)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

// TestSampleAllocs shows the allocations do not grow with the grid: a
// handful per call (the workers), none per point.
func TestSampleAllocs(t *testing.T) {
	box := landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}
	count := func(n int) float64 {
		dst := make([]float32, n*n)
		return testing.AllocsPerRun(5, func() {
			if _, _, err := landscape.Sample(context.Background(), landscape.Ackley{}, box, n, n, dst); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := count(16), count(256)
	if large > small || large > float64(4*runtime.GOMAXPROCS(0)+4) {
		t.Errorf("allocations: %v for 16², %v for 256²; want a small constant", small, large)
	}
}

// BenchmarkSample fills a 512 × 512 grid of Ackley, the costliest preset
// per point, on every core.
func BenchmarkSample(b *testing.B) {
	const n = 512
	box := landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}
	dst := make([]float32, n*n)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if _, _, err := landscape.Sample(context.Background(), landscape.Ackley{}, box, n, n, dst); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(n*n), "ns/point")
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N)/(n*n), "cpu-ns/point")
}
