package train

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// SliceResult is the plane the landscape is drawn on: origin + a*D1 + b*D2.
// For SliceParams Origin is zero and D1, D2 the unit vectors, so a and b are
// the two parameters themselves.
type SliceResult struct {
	Kind      string
	Origin    []float64
	D1, D2    []float64
	Explained [2]float64 // SlicePCA only: the share of the paths' movement along D1 and D2
}

// Grid is the full-data training loss on the plane: node (i, j) at
// a = Box[0] + i*(Box[1]-Box[0])/(NX-1), b = Box[2] + j*(Box[3]-Box[2])/(NY-1),
// row-major from j = 0 (b = Box[2]), as for basin maps. A value is +Inf
// where the loss overflows (a regression loss far from the data).
type Grid struct {
	Box    [4]float64 // amin, amax, bmin, bmax
	NX, NY int
	Values []float64
}

// boxMargin is the share of the paths' extent added on each side of the
// box, so that no path runs along its edge.
const boxMargin = 0.15

// randomStream is the PCG stream word of random slice directions.
const randomStream = 0x62617369_6e726e64 // "basinrnd"

// project computes the slice, every run's points on it and the grid.
func (pl *plan) project(ctx context.Context, res *Result) error {
	np := pl.model.NumParams()
	sl := SliceResult{Kind: pl.slice.Kind, Origin: make([]float64, np)}
	switch sl.Kind {
	case SliceParams:
		sl.D1, sl.D2 = []float64{1, 0}, []float64{0, 1}
	default:
		// A run that diverged at its very start recorded nothing; the
		// initial parameters stand in for its end.
		copy(sl.Origin, res.Init)
		if last := res.Runs[pl.slice.Optimizer]; len(last.Params) >= np {
			copy(sl.Origin, last.Params[len(last.Params)-np:])
		}
		if sl.Kind == SlicePCA {
			sl.D1, sl.D2, sl.Explained = principal(res.Runs, sl.Origin)
		} else {
			sl.D1, sl.D2 = filterNormalised(pl.model, sl.Origin, pl.slice.Seed)
		}
	}
	res.Slice = sl
	for i := range res.Runs {
		r := &res.Runs[i]
		r.Points = make([]optim.Point, r.Rows())
		if sl.Kind == SliceRandom {
			r.Distance = make([]float64, r.Rows())
		}
		v := make([]float64, np)
		for k := range r.Rows() {
			row := r.Params[k*np : (k+1)*np]
			for j := range v {
				v[j] = row[j] - sl.Origin[j]
			}
			var a, b float64
			switch sl.Kind {
			case SliceRandom:
				a, b, r.Distance[k] = leastSquaresPlane(v, sl.D1, sl.D2)
			default:
				a, b = dot(v, sl.D1), dot(v, sl.D2)
			}
			r.Points[k] = optim.Point{X: a, Y: b, Loss: r.Loss[k]}
		}
	}
	if pl.grid == 0 {
		return nil
	}
	box := frame(res)
	if pl.box != nil {
		box = *pl.box
	}
	g := &Grid{Box: box, NX: pl.grid, NY: pl.grid}
	var err error
	g.Values, err = sliceLoss(ctx, pl.model, pl.train, sl, g.Box, g.NX, g.NY)
	if err != nil {
		return err
	}
	res.Landscape = g
	return nil
}

// frame is the box around every run's points (and the critical points),
// widened by boxMargin on each side; a box of no extent becomes one unit
// wide.
func frame(res *Result) [4]float64 {
	amin, amax := math.Inf(1), math.Inf(-1)
	bmin, bmax := math.Inf(1), math.Inf(-1)
	add := func(a, b float64) {
		amin, amax = min(amin, a), max(amax, a)
		bmin, bmax = min(bmin, b), max(bmax, b)
	}
	for _, r := range res.Runs {
		for _, p := range r.Points {
			add(p.X, p.Y)
		}
	}
	for _, c := range res.Critical {
		add(c.At.X, c.At.Y)
	}
	widen := func(lo, hi float64) (float64, float64) {
		span := hi - lo
		if !(span > 0) {
			return lo - 0.5, hi + 0.5
		}
		return lo - boxMargin*span, hi + boxMargin*span
	}
	if amin > amax { // no point at all: every run diverged at its start
		amin, amax, bmin, bmax = 0, 0, 0, 0
	}
	amin, amax = widen(amin, amax)
	bmin, bmax = widen(bmin, bmax)
	return [4]float64{amin, amax, bmin, bmax}
}

// principal returns the top two right-singular vectors of the matrix whose
// rows are theta_k - origin over every recorded row of every run (not
// mean-centred), each signed so that the first row projects to <= 0, and
// the share of the squared Frobenius norm each explains. It works on the
// Gram matrix of the matrix's smaller side.
func principal(runs []RunResult, origin []float64) (d1, d2 []float64, explained [2]float64) {
	np := len(origin)
	k := 0
	for _, r := range runs {
		k += r.Rows()
	}
	if k == 0 {
		k = 1 // one row of zeros: no movement to find a plane in
	}
	m := mat.NewDense(k, np, nil)
	row := 0
	for _, r := range runs {
		for i := range r.Rows() {
			dst := m.RawRowView(row)
			for j := range dst {
				dst[j] = r.Params[i*np+j] - origin[j]
			}
			row++
		}
	}
	total := 0.0
	for _, v := range m.RawMatrix().Data {
		total += v * v
	}
	d1, d2 = make([]float64, np), make([]float64, np)
	if total == 0 {
		d1[0] = 1 // every row is the origin: any plane is as good
		if np > 1 {
			d2[1] = 1
		}
		return d1, d2, explained
	}
	var sigma2 [2]float64
	if np <= k {
		var g mat.SymDense
		g.SymOuterK(1, m.T())
		var eig mat.EigenSym
		eig.Factorize(&g, true)
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		for t, d := range [][]float64{d1, d2} {
			c := len(vals) - 1 - t // ascending order
			if c < 0 {
				break
			}
			mat.Col(d, c, &vecs)
			sigma2[t] = max(vals[c], 0)
		}
	} else {
		var g mat.SymDense
		g.SymOuterK(1, m)
		var eig mat.EigenSym
		eig.Factorize(&g, true)
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		u := make([]float64, k)
		for t, d := range [][]float64{d1, d2} {
			c := len(vals) - 1 - t
			if c < 0 || vals[c] <= 0 {
				break
			}
			mat.Col(u, c, &vecs)
			// v = M^T u / sigma.
			dv := mat.NewVecDense(np, d)
			dv.MulVec(m.T(), mat.NewVecDense(k, u))
			norm := math.Sqrt(dot(d, d))
			for j := range d {
				d[j] /= norm
			}
			sigma2[t] = vals[c]
		}
	}
	first := m.RawRowView(0)
	for t, d := range [][]float64{d1, d2} {
		if dot(first, d) > 0 {
			for j := range d {
				d[j] = -d[j]
			}
		}
		explained[t] = sigma2[t] / total
	}
	return d1, d2, explained
}

// filterNormalised draws two Gaussian directions and scales them as Li et
// al. (2018) do: the entries of each neuron's incoming weights (a row of a
// layer's weight matrix) are scaled to that row's norm at the origin, and
// the biases' entries are zero, so the plane's scale matches the network's
// in every layer.
func filterNormalised(m *model.Model, origin []float64, seed uint64) (d1, d2 []float64) {
	r := rand.New(rand.NewPCG(seed, randomStream))
	np := m.NumParams()
	sizes := m.Sizes()
	draw := func() []float64 {
		d := make([]float64, np)
		off := 0
		for l := 1; l < len(sizes); l++ {
			in, out := sizes[l-1], sizes[l]
			for j := range out {
				row := d[off+j*in : off+(j+1)*in]
				for i := range row {
					row[i] = r.NormFloat64()
				}
				want := math.Sqrt(dot(origin[off+j*in:off+(j+1)*in], origin[off+j*in:off+(j+1)*in]))
				have := math.Sqrt(dot(row, row))
				for i := range row {
					row[i] *= want / have
				}
			}
			off += in*out + out // biases stay 0
		}
		return d
	}
	d1 = draw()
	d2 = draw()
	return d1, d2
}

// leastSquaresPlane returns the coefficients a, b of the point of the
// plane a*d1 + b*d2 nearest to v, and v's distance from it.
func leastSquaresPlane(v, d1, d2 []float64) (a, b, dist float64) {
	g11, g12, g22 := dot(d1, d1), dot(d1, d2), dot(d2, d2)
	r1, r2 := dot(d1, v), dot(d2, v)
	det := g11*g22 - g12*g12
	if det > 0 {
		a = (g22*r1 - g12*r2) / det
		b = (g11*r2 - g12*r1) / det
	}
	s := 0.0
	for i := range v {
		e := v[i] - a*d1[i] - b*d2[i]
		s += e * e
	}
	return a, b, math.Sqrt(s)
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// sliceLoss evaluates the full-data loss at every grid node, rows of the
// grid spread over all cores, each worker with its own workspace, all
// reading one layout of the data.
func sliceLoss(ctx context.Context, m *model.Model, set *data.Set, sl SliceResult, box [4]float64, nx, ny int) ([]float64, error) {
	values := make([]float64, nx*ny)
	np := m.NumParams()
	workers := min(runtime.GOMAXPROCS(0), ny)
	cols := m.Columns(set) // laid out once for every node and worker
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			ws := m.NewWorkspace()
			theta := make([]float64, np)
			for {
				mu.Lock()
				j := next
				next++
				mu.Unlock()
				if j >= ny || ctx.Err() != nil {
					return
				}
				b := box[2] + float64(j)*(box[3]-box[2])/float64(ny-1)
				for i := range nx {
					a := box[0] + float64(i)*(box[1]-box[0])/float64(nx-1)
					for t := range theta {
						theta[t] = sl.Origin[t] + a*sl.D1[t] + b*sl.D2[t]
					}
					v := ws.LossColumns(theta, cols)
					if math.IsNaN(v) {
						v = math.Inf(1)
					}
					values[j*nx+i] = v
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return values, nil
}
