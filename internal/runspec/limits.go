package runspec

// Limits of what one spec may ask for. They bound the work and the memory a
// single client can cause; docs/API.md lists them.
const (
	// StepsLimit bounds a run's step budget: 10,000 steps of 16 optimizers
	// are 3.8 MB of points, more than a plot can show.
	StepsLimit = 10_000
	// OptimizersLimit bounds the optimizers of one run: every registered
	// optimizer and named preset fits, with room for compare mode.
	OptimizersLimit = 16
	// CoordLimit bounds |x| and |y| of a start point and a domain; the
	// engine calls a run diverged beyond |x|+|y| > 1e6 anyway.
	CoordLimit = 1e6
	// ExprBytesLimit bounds a custom expression's length.
	ExprBytesLimit = 2000
	// SeedLimit is the largest seed, 2^53-1, so that JavaScript clients
	// hold every seed exactly.
	SeedLimit = 1<<53 - 1
)

// Defaults for fields a spec omits. The page (web/js/state.js DEFAULTS)
// fills a link that leaves them out with the same values, so such a link
// means the same run on the page and in the API.
const (
	// DefaultSteps is the step budget of a spec without "steps".
	DefaultSteps = 500
	// DefaultSeed is the gradient-noise seed of a spec without "seed"; a
	// fixed seed makes a noisy run the same on every reload of its link.
	DefaultSeed = 1
)

// DefaultExprDomain is the domain of a custom expression given without one.
var DefaultExprDomain = [4]float64{-5, 5, -5, 5}

// DefaultExprLR is the shared learning rate of a custom expression when the
// spec gives none.
const DefaultExprLR = 0.01
