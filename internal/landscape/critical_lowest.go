package landscape

import (
	"context"
	"math"
)

// This file holds the last stage of SearchCritical: nothing sampled or
// visited may be lower than the lowest minimum listed.

// ensureLowest makes sure nothing sampled or visited in the box is lower
// than the lowest minimum listed: while the lowest sample, or the lowest
// candidate minimum (visited) that was not listed, is lower (or nothing is
// listed while f is finite somewhere), it descends from that point, checks
// the minimum it reaches and lists it. It reports whether f is unbounded
// below: a descent from there falls without end (fall). A point that fails
// its checks and does not fall without end is listed all the same, after
// at most criticalGlobalRounds descents: the lowest point known is never
// left out.
func (s *search) ensureLowest(ctx context.Context, smp *boxSample, visited CriticalPoint) bool {
	start, startV := Vec{}, math.Inf(1)
	if smp.lowAt >= 0 {
		start, startV = smp.at(smp.lowAt), smp.lowest
	}
	if finitePoint(visited) && visited.Value < startV {
		start, startV = visited.At, visited.Value
	}
	if math.IsInf(startV, 1) {
		return false // f is nowhere finite on the sample
	}
	for round := 0; ; round++ {
		low := math.Inf(1)
		for _, cp := range s.found {
			if cp.Kind == Minimum {
				low = math.Min(low, cp.Value)
			}
		}
		if startV >= low-1e-9*math.Max(1, math.Abs(low)) || ctx.Err() != nil {
			return false
		}
		if round == criticalGlobalRounds {
			// Listed directly: add would merge it into a higher neighbour.
			s.found = append(s.found, CriticalPoint{Kind: Minimum, At: start, Value: startV})
			s.flat = append(s.flat, false)
			return false
		}
		s.startBudget(criticalRefineBudget)
		cp, ok := s.seedDescent(start)
		if !ok || !(cp.Value <= startV) {
			cp = CriticalPoint{Kind: Minimum, At: start, Value: startV}
		}
		s.startBudget(criticalRefineBudget)
		v, listed := cp, false
		if s.smooth(cp) {
			listed = !s.ringLower(cp.At, cp.Value)
		} else {
			v, listed = s.confirmKink(cp)
		}
		if listed {
			s.startBudget(criticalMergeBudget)
			s.add(v)
			start, startV = v.At, v.Value
			continue
		}
		s.startBudget(criticalRefineBudget)
		if s.fall(cp.At, smp) {
			return true
		}
		start, startV = cp.At, cp.Value
		round = criticalGlobalRounds - 1 // list it next round
	}
}

// fall descends from p by steepest-descent steps within the box, with a
// step that doubles after each success and halves after each failure, and
// reports whether f falls below the sample's lowest value by
// criticalFallFactor times the sample's spread without coming to rest: f
// is unbounded below (log(x) towards x = 0). A bounded f stops falling.
func (s *search) fall(p Vec, smp *boxSample) bool {
	spread := smp.highest - smp.lowest
	if !(spread > 0) {
		spread = math.Max(1, math.Abs(smp.lowest))
	}
	floor := smp.lowest - criticalFallFactor*spread
	fp, g := s.vg(p)
	step := 1e-3 * s.span
	for s.left > 0 && step > 1e-300 {
		if fp < floor || math.IsInf(fp, -1) {
			return true
		}
		gf, _, _ := s.freeGrad(p, g)
		n := gf.Norm()
		if !(n > 0) || !finite(n) {
			return false
		}
		q := s.clamp(p.Add(gf.Scale(-step / n)))
		fq, gq := s.vg(q)
		if fq < fp && gq.IsFinite() {
			p, fp, g = q, fq, gq
			step *= 2
		} else {
			step /= 2
		}
	}
	return fp < floor
}
