package optim

import "slices"

// The end of a noisy run is judged from the run itself, not from single
// steps: a noisy step measures the noise, not progress. The rule looks at a
// final window of the run, asks which basin the window's mean lies in, and
// then how long the run has stayed in that basin. Settle is the part of the
// rule that knows nothing about coordinates: a run is a sequence of points
// and a basin is an integer a callback hands back, so the same rule can
// judge a 2D landscape run here and, with another callback, a run in the
// parameter space of a model trained on minibatches.

// Window of the noisy-outcome rule.
const (
	// WindowMin is the fewest points the final window holds: fewer would
	// make its mean and spread measure the last few draws of the noise.
	// A noisy run with fewer points than this is not judged (NotConverged).
	WindowMin = 20
	// WindowFraction sets the window to the last 1/WindowFraction of the
	// points: long enough to average the noise out, short enough to see
	// only the end of the run.
	WindowFraction = 10
)

// NoBasin is the basin of a point from which the noise-free descent ends
// nowhere it can name: it ran out of its evaluation budget, or diverged.
const NoBasin = -1

// Window is the number of final points of an n-point run the rule judges:
// a tenth of them, rounded up, at least WindowMin, at most n.
func Window(n int) int {
	return min(n, max(WindowMin, (n+WindowFraction-1)/WindowFraction))
}

// Settlement is what Settle makes of a run's end.
type Settlement struct {
	// Status is Converged when every point of the final window lies in
	// the basin of the window's mean, Wandering when the window's points
	// lie in two or more named basins, and NotConverged otherwise (the run
	// is too short to judge, or its end lies where no descent ends).
	Status Status
	// Basin is the basin of the window's mean (Converged).
	Basin int
	// From is the index of the first point of the final stay in Basin
	// (Converged): every point from it on lies in Basin, the one before it
	// does not (or it is 0).
	From int
	// Between lists the basins the final window's points lie in, ascending
	// (Wandering).
	Between []int
}

// Settle applies the noisy-outcome rule to the points 0..n-1 of a run.
// meanBasin is the basin of the final window's mean (see Window) and
// basinOf(i) the basin of point i; both are the noise-free descent's end, or
// NoBasin. basinOf is called at most once per point, from the last point
// backwards, and only as far back as the final stay reaches, so a caller
// whose basinOf is costly pays for the end of the run only.
//
// Settle does not check distances: the caller, who knows the geometry,
// must still refuse a Converged settlement whose window mean lies farther
// from the basin's critical point than the window's spread explains (a run
// still crawling towards its minimum lies in that basin all along).
func Settle(n int, meanBasin int, basinOf func(i int) int) Settlement {
	w := Window(n)
	if n < WindowMin || meanBasin == NoBasin {
		return Settlement{Status: NotConverged}
	}
	var seen [8]int
	ids := seen[:0] // distinct basins of the window, ascending
	named := true
	for i := n - 1; i >= n-w; i-- {
		b := basinOf(i)
		if b == NoBasin {
			named = false
			continue
		}
		if j, found := slices.BinarySearch(ids, b); !found {
			ids = slices.Insert(ids, j, b)
		}
	}
	switch {
	case len(ids) > 1 && named:
		return Settlement{Status: Wandering, Between: slices.Clone(ids)}
	case len(ids) != 1 || !named || ids[0] != meanBasin:
		return Settlement{Status: NotConverged}
	}
	from := n - w
	for from > 0 && basinOf(from-1) == meanBasin {
		from--
	}
	return Settlement{Status: Converged, Basin: meanBasin, From: from}
}
