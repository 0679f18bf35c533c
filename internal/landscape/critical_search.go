package landscape

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Limits of SearchCritical beyond the local searches' own (critical.go).
// Every stage is bounded by a count of evaluations, never by a clock, so
// the result depends only on f and the box.
const (
	// CriticalSampleSide is the number of points along each axis of the
	// dense sample of the box, edges included: 513² = 263,169 values, a
	// spacing of 1/512 of each side, fine enough to put a sample in every
	// basin of Griewank on [-600, 600]² (period 6.3) and Shubert on
	// [-10, 10]² (period about 1).
	CriticalSampleSide = 513
	// CriticalSeeds is how many of the sample's local minima, lowest
	// first, start a local descent in the box.
	CriticalSeeds = 400
	// CriticalListed bounds the minima listed, and separately the
	// saddles and the maxima: the lowest minima (every global one always),
	// the lowest saddles and the highest maxima. The counts found are in
	// CriticalSet. Above the presets' largest table (Lévy N.13's 262
	// saddles).
	CriticalListed = 300
	// criticalGlobalRounds bounds the descents started from a point lower
	// than the lowest minimum found, until none is lower.
	criticalGlobalRounds = 8
	// criticalRefines bounds the derivative-free valley searches
	// (refineValley), which are costly, to the lowest candidate minima where
	// the gradient does not vanish (kinks, non-smooth valleys, edges where
	// f still falls along the edge); the others are left out.
	criticalRefines = 8

	// Evaluation budgets per start; a start that spends its budget fails.
	criticalDescentBudget = 4000  // a BFGS start, polished and classified
	criticalRootBudget    = 1500  // a Levenberg–Marquardt start
	criticalSeedBudget    = 3000  // a descent in the box from a seed
	criticalRefineBudget  = 40000 // a valley search, or a fall (global stage)

	// criticalRingFraction is the radius, relative to the larger side of
	// the box, of the ring on which a minimum must have no lower value.
	criticalRingFraction = 1e-5
	// criticalRingProbes is the number of points on that ring before the
	// lowest is refined by golden-section search along the ring.
	criticalRingProbes = 32
	// criticalFallFactor: a descent from the lowest point that falls below
	// the sample's lowest value by more than this many times the sample's
	// spread of finite values, without coming to rest, shows the function
	// unbounded below on the box.
	criticalFallFactor = 100
)

// CriticalMaxEvaluations is the most evaluations (of value, or of value and
// gradient) one SearchCritical can spend, whatever f is: the dense sample,
// then every start's, check's and round's budget, then one evaluation per
// point for the result. Multiplied by CostOf(f) it is the search's price
// (CriticalCost): 10,697,441 evaluations.
const CriticalMaxEvaluations = CriticalSampleSide*CriticalSampleSide +
	criticalDescentSide*criticalDescentSide*criticalDescentBudget +
	criticalRootSide*criticalRootSide*criticalRootBudget +
	CriticalSeeds*criticalSeedBudget +
	(criticalRefines+3*criticalGlobalRounds)*criticalRefineBudget +
	(2*criticalCandidates+criticalRefines+criticalGlobalRounds)*criticalMergeBudget +
	criticalCandidates + criticalRefines + criticalGlobalRounds

// criticalCandidates is the number of local searches whose results are
// merged: one per start of each grid and one per seed.
const criticalCandidates = criticalDescentSide*criticalDescentSide + criticalRootSide*criticalRootSide + CriticalSeeds

// criticalMergeBudget bounds the evaluations of one candidate's checks
// (smooth, ringLower), and separately of its deduplication (add).
const criticalMergeBudget = 1000

// CriticalCost is the price, in cost units (EvalCoster), of the most work
// SearchCritical can do on f: CriticalMaxEvaluations × CostOf(f).
func CriticalCost(f Function) float64 { return float64(CriticalMaxEvaluations) * CostOf(f) }

// CriticalSet is what SearchCritical finds on a box.
type CriticalSet struct {
	// Points lists minima first (lowest first, every global one included),
	// then saddles, then maxima, each kind capped at CriticalListed.
	// No point has a NaN or infinite position or value.
	Points []CriticalPoint
	// MinimaFound, SaddlesFound and MaximaFound count the distinct points
	// of each kind located, listed or not: MinimaFound > the minima listed
	// says there were too many to list.
	MinimaFound, SaddlesFound, MaximaFound int
	// UnboundedBelow is set when f has no lowest value on the box: it is
	// -Inf somewhere, or it falls without end towards a point where it is
	// not finite (log(x) near x = 0). Then no point is flagged Global.
	UnboundedBelow bool
	// FiniteShare is the share of the dense sample at which f is finite,
	// 0 when it is nowhere finite (0/0, 1/0 + x), 1 when it is everywhere.
	FiniteShare float64
	// Evaluations is the number of evaluations the search spent, at most
	// CriticalMaxEvaluations. It depends only on f and the box.
	Evaluations int
}

// FindCritical returns SearchCritical's points.
func FindCritical(ctx context.Context, f Function, d Domain) ([]CriticalPoint, error) {
	set, err := SearchCritical(ctx, f, d)
	return set.Points, err
}

// SearchCritical finds the minima of f restricted to the box d, on its
// edges and corners too (marked Edge), and the saddles and maxima inside
// it. Global marks every minimum whose value ties the lowest value of f on
// the box, unless f is unbounded below there.
//
// It samples f on a CriticalSampleSide² grid of the box, edges included;
// descends within the box from the CriticalSeeds lowest local minima of the
// sample (projected Newton steps, a derivative-free valley search where the
// Hessian does not exist); runs BFGS (gonum/optimize, exact gradient) from
// a criticalDescentSide² grid and a Levenberg–Marquardt search for zeros of
// the gradient from a criticalRootSide² grid to find saddles and maxima.
// Every candidate is polished by Newton's method on the gradient,
// deduplicated and classified by the eigenvalues of its Hessian (central
// differences of the exact gradient, eigenvalues in closed form) or, where that is
// singular, by comparing f on a small circle around it. A point is listed
// as a minimum only if f has no lower value on a ring of radius
// criticalRingFraction of the box around it (refined along the ring, so a
// narrow valley through it is seen). Then, until no sampled or visited
// value of the box is lower than the lowest minimum, the search descends
// again from the lowest such point, or from the lowest candidate minimum
// that was not listed (criticalGlobalRounds at most); the lowest point is
// listed even where its checks fail, unless f falls without bound there.
//
// Points where f is NaN or infinite are never listed. Critical points that
// are not isolated (the line x = 0 of x², the diagonal of |x - y|, every
// point of a constant) are reported by one representative per kind and
// value.
//
// Every stage is bounded by a count of evaluations (at most
// CriticalMaxEvaluations in all) and the starts are shared out over
// runtime.GOMAXPROCS(0) goroutines with their results merged in start
// order, so the result depends only on f and d: the same on every run and
// every machine. ctx is checked between rows of the sample, between starts,
// inside each BFGS descent and between the later checks;
// its error is returned if it ends the search. An invalid d gives an error
// wrapping ErrDomain. f must be safe for concurrent use, as Function
// requires.
func SearchCritical(ctx context.Context, f Function, d Domain) (CriticalSet, error) {
	if err := CheckDomain(d); err != nil {
		return CriticalSet{}, err
	}
	workers := runtime.GOMAXPROCS(0)
	smp, err := sampleBox(ctx, f, d, workers)
	if err != nil {
		return CriticalSet{}, err
	}
	seeds := smp.seeds(CriticalSeeds)
	nd, nr := criticalDescentSide*criticalDescentSide, criticalRootSide*criticalRootSide
	type candidate struct {
		cp    CriticalPoint
		ok    bool
		evals int
		inf   bool
	}
	// The local searches first, so that a line of critical points is
	// represented by an interior point where it has one, then the seeds.
	cands := make([]candidate, nd+nr+len(seeds))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s := newSearch(f, d)
			// Interleaved, so the costly descents are spread evenly.
			for k := w; k < len(cands); k += workers {
				if ctx.Err() != nil {
					return
				}
				clearUpper() // see avx_simd.go
				s.evals, s.negInf = 0, false
				c := &cands[k]
				switch {
				case k < nd:
					s.startBudget(criticalDescentBudget)
					c.cp, c.ok = s.descend(ctx, cellCentre(d, k, criticalDescentSide))
				case k < nd+nr:
					s.startBudget(criticalRootBudget)
					c.cp, c.ok = s.root(cellCentre(d, k-nd, criticalRootSide))
				default:
					s.startBudget(criticalSeedBudget)
					c.cp, c.ok = s.seedDescent(seeds[k-nd-nr])
				}
				c.evals, c.inf = s.evals, s.negInf
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return CriticalSet{}, err
	}
	s := newSearch(f, d)
	s.negInf = smp.negInf
	s.evals = smp.evals
	var kinks []CriticalPoint
	visited := CriticalPoint{Value: math.Inf(1)} // the lowest candidate minimum
	for k, c := range cands {
		if k%64 == 0 && ctx.Err() != nil {
			return CriticalSet{}, ctx.Err()
		}
		s.evals += c.evals
		s.negInf = s.negInf || c.inf
		if !c.ok || !finitePoint(c.cp) {
			continue
		}
		if c.cp.Kind == Minimum && c.cp.Value < visited.Value && s.d.Contains(c.cp.At) {
			visited = c.cp
		}
		if s.seen(c.cp.At, kinks) {
			// Checked already: the same point from another start.
			continue
		}
		s.startBudget(criticalMergeBudget)
		if c.cp.Kind == Minimum {
			if !s.smooth(c.cp) {
				kinks = append(kinks, c.cp)
				continue
			}
			if s.ringLower(c.cp.At, c.cp.Value) {
				continue
			}
		}
		s.startBudget(criticalMergeBudget)
		s.add(c.cp)
	}
	s.checkKinks(ctx, kinks)
	if err := ctx.Err(); err != nil {
		return CriticalSet{}, err
	}
	unbounded := s.negInf || s.ensureLowest(ctx, smp, visited)
	if err := ctx.Err(); err != nil {
		return CriticalSet{}, err
	}
	s.startBudget(criticalCandidates + criticalRefines + criticalGlobalRounds) // result's clamped points
	return s.finish(smp, unbounded), nil
}

// seen reports whether p is within the deduplication distance of a point
// found or of a candidate set aside in kinks.
func (s *search) seen(p Vec, kinks []CriticalPoint) bool {
	tol := criticalDedupTol * s.span
	for _, cp := range s.found {
		if cp.At.Add(p.Scale(-1)).Norm() <= tol {
			return true
		}
	}
	for _, cp := range kinks {
		if cp.At.Add(p.Scale(-1)).Norm() <= tol {
			return true
		}
	}
	return false
}

// finitePoint reports whether cp's position and value are finite.
func finitePoint(cp CriticalPoint) bool {
	return cp.At.IsFinite() && !math.IsNaN(cp.Value) && !math.IsInf(cp.Value, 0)
}

// finish orders the points, flags the global minima, marks the points on
// the box's edges, caps each kind at CriticalListed and counts.
func (s *search) finish(smp *boxSample, unbounded bool) CriticalSet {
	pts := s.result()
	out := pts[:0]
	for _, cp := range pts {
		// On a function unbounded below, a "minimum" below every sample
		// is a point on the way down to -∞, not a minimum.
		if finitePoint(cp) && !(unbounded && cp.Kind == Minimum && cp.Value < smp.lowest) {
			out = append(out, cp)
		}
	}
	set := CriticalSet{UnboundedBelow: unbounded, Evaluations: s.evals}
	if smp.n > 0 {
		set.FiniteShare = float64(smp.finite) / float64(smp.n*smp.n)
	}
	kept := out[:0]
	var n [3]int
	for _, cp := range out {
		if unbounded {
			cp.Global = false
		}
		cp.Edge = s.onEdge(cp.At)
		n[cp.Kind]++
		// Minima and saddles come lowest first; maxima are kept highest
		// first, so count from the end for them below.
		if cp.Kind != Maximum && (n[cp.Kind] <= CriticalListed || cp.Global) {
			kept = append(kept, cp)
		}
		if cp.Kind == Maximum {
			kept = append(kept, cp)
		}
	}
	if extra := n[Maximum] - CriticalListed; extra > 0 {
		// The maxima are the tail, lowest first: drop the lowest ones.
		i := len(kept) - n[Maximum]
		kept = slices.Delete(kept, i, i+extra)
	}
	set.MinimaFound, set.SaddlesFound, set.MaximaFound = n[Minimum], n[Saddle], n[Maximum]
	set.Points = slices.Clip(kept)
	return set
}

// onEdge reports whether p lies on the boundary of the box (to rounding).
func (s *search) onEdge(p Vec) bool {
	e := criticalBoundarySlack * s.span
	return p.X <= s.d.XMin+e || p.X >= s.d.XMax-e || p.Y <= s.d.YMin+e || p.Y >= s.d.YMax-e
}
