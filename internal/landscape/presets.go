package landscape

import (
	"math"
	"sync"
)

// Presets returns the preset landscapes in display order: the simple bowls
// first, then the classic valleys and multi-minimum teaching functions, then
// the rugged ones, then the rest of the standard test set. The slice is the
// caller's; the Critical lists inside are shared and must not be modified.
//
// Each Formula is written in the expression language of
// internal/landscape/expr (explicit *, ^, pi, e), so typing it as a custom
// function reproduces the preset; Critical lists every critical point in the
// default Domain, minima first.
//
// The first call computes the long critical-point lists of Rastrigin,
// Ackley and Lévy N.13 (see rastriginCritical, ackleyCritical,
// levyCritical), about 60 ms on one core; later calls are free.
func Presets() []Preset { return append([]Preset(nil), presets()...) }

// Lookup finds a preset by its ID, the name URLs and run specs use
// (f=himmelblau).
func Lookup(id string) (Preset, bool) {
	for _, p := range presets() {
		if p.ID == id {
			return p, true
		}
	}
	return Preset{}, false
}

var presets = sync.OnceValue(buildPresets)

// minAt, saddleAt and maxAt shorten the critical-point tables below.
func minAt(x, y, v float64, global bool) CriticalPoint {
	return CriticalPoint{Kind: Minimum, At: Vec{x, y}, Value: v, Global: global}
}

func saddleAt(x, y, v float64) CriticalPoint {
	return CriticalPoint{Kind: Saddle, At: Vec{x, y}, Value: v}
}

func maxAt(x, y, v float64) CriticalPoint {
	return CriticalPoint{Kind: Maximum, At: Vec{x, y}, Value: v}
}

// Critical-point tables. Typed-in positions and values were polished to 20
// digits in 40-digit arithmetic (Newton's method on the gradient, by
// testdata/polish_critical.py) and agree with Surjanovic & Bingham's library
// to the digits it gives; closed forms are written as such.
// TestPresetCriticalRefound re-finds every entry with FindCritical, and
// TestPresetTables checks each on its own (value, gradient, Hessian).
func buildPresets() []Preset {
	// McCormick's critical points lie where cos(x+y) = -1/2 and x-y = 1,
	// so with s = x+y: x = (s+1)/2, y = (s-1)/2, f = sin s + s/2.
	mcc := func(s float64) (x, y, v float64) { return (s + 1) / 2, (s - 1) / 2, math.Sin(s) + s/2 }
	mx1, my1, mv1 := mcc(-2 * math.Pi / 3)
	mx2, my2, mv2 := mcc(4 * math.Pi / 3)
	mx3, my3, mv3 := mcc(2 * math.Pi / 3)

	// Styblinski–Tang is separable: each axis has the minima a (global),
	// b (local) and the maximum c of (t⁴ - 16t² + 5t)/2.
	const (
		stA = -2.9035340277711770951
		stB = 2.7468027709908369925
		stC = 0.15673125678034010267
	)
	st := func(u, v float64) float64 { return StyblinskiTang{}.Value(Vec{u, v}) }

	return []Preset{
		{
			ID: "quadratic", Name: "Quadratic bowl",
			Formula: "0.5*(x^2 + y^2)",
			Description: "The simplest landscape: a round bowl whose slope points straight at the minimum " +
				"from everywhere. Every optimizer should walk straight down; use it to see what a " +
				"learning rate does on its own, and where a step becomes too large (here above 2).",
			Func: Quadratic{}, Domain: Domain{-5, 5, -5, 5}, Start: Vec{-4, 3.5}, LR: 0.1,
			Critical: []CriticalPoint{minAt(0, 0, 0, true)},
		},
		{
			ID: "elliptic", Name: "Elliptic bowl",
			Formula: "0.5*(x^2 + 10*y^2)",
			Description: "A bowl ten times steeper across than along: a learning rate that is safe for the " +
				"steep direction crawls along the shallow one, and a larger one makes gradient descent " +
				"zig-zag across the valley. Momentum and adaptive methods were invented for exactly this.",
			Func: Elliptic{}, Domain: Domain{-5, 5, -5, 5}, Start: Vec{-4.5, 2}, LR: 0.18,
			Critical: []CriticalPoint{minAt(0, 0, 0, true)},
		},
		{
			ID: "rosenbrock", Name: "Rosenbrock",
			Formula: "(1 - x)^2 + 100*(y - x^2)^2",
			Description: "Rosenbrock's banana: a narrow curved valley with a flat floor. Finding the valley " +
				"takes a few steps; following it to the minimum at (1, 1) takes thousands with plain " +
				"gradient descent, because the steep walls force a small learning rate.",
			Func: Rosenbrock{}, Domain: Domain{-2, 2, -1, 3}, Start: Vec{-1.2, 1}, LR: 0.0015,
			Critical: []CriticalPoint{minAt(1, 1, 0, true)},
		},
		{
			ID: "himmelblau", Name: "Himmelblau",
			Formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
			Description: "Four minima, all equally good (value 0), around a central hill. Which one an " +
				"optimizer reaches depends on where it starts and on its own dynamics: a small change of " +
				"learning rate or momentum can send it to a different corner.",
			Func: Himmelblau{}, Domain: Domain{-5, 5, -5, 5}, Start: Vec{0, 0}, LR: 0.01,
			Critical: []CriticalPoint{
				minAt(3, 2, 0, true),
				minAt(-2.8051180869527448531, 3.1313125182505729658, 0, true),
				minAt(-3.7793102533777468919, -3.2831859912861694123, 0, true),
				minAt(3.5844283403304917449, -1.8481265269644035535, 0, true),
				saddleAt(3.385154183607020938, 0.073851879837749287719, 13.311926270405589889),
				saddleAt(0.086677504555396351823, 2.8842547011747761131, 67.719150087526140226),
				saddleAt(-3.0730257507643896105, -0.081353044287967511553, 104.01516291755810586),
				saddleAt(-0.12796134673068006631, -1.9537149802445764261, 178.33723920192745998),
				maxAt(-0.27084459066734761304, -0.92303855647998146313, 181.61652152258270404),
			},
		},
		{
			ID: "double-well", Name: "Double well",
			Formula: "x^4 - 2.625*x^2 + 1.25*x + y^2",
			Description: "Two valleys separated by a ridge: a deep one on the left (the global minimum at " +
				"(-1.25, 0)) and a shallow one on the right (a local minimum at (1, 0)). Started on the " +
				"right, gradient descent settles in the shallow valley and never learns the deep one " +
				"exists; momentum or a larger step can carry it over the saddle at (0.25, 0).",
			Func: DoubleWell{}, Domain: Domain{-2, 2, -2, 2}, Start: Vec{1.8, 1.5}, LR: 0.05,
			Critical: []CriticalPoint{
				minAt(-1.25, 0, -3.22265625, true),
				minAt(1, 0, -0.375, false),
				saddleAt(0.25, 0, 0.15234375),
			},
		},
		{
			ID: "rastrigin", Name: "Rastrigin",
			Formula: "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
			Description: "A bowl covered with an egg-box of 121 local minima, one near every integer point. " +
				"Small steps get caught in the first dimple; noise, momentum or large steps let an " +
				"optimizer feel the bowl underneath and reach the global minimum at the origin.",
			Func: Rastrigin{}, Domain: Domain{-5.12, 5.12, -5.12, 5.12}, Start: Vec{3.3, -2.6}, LR: 0.002,
			Critical: rastriginCritical(Domain{-5.12, 5.12, -5.12, 5.12}),
		},
		{
			ID: "ackley", Name: "Ackley",
			Formula: "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
			Description: "A nearly flat, rippled plateau with a deep funnel in the middle. Far from the " +
				"centre the gradient mostly points into the nearest ripple, so local methods stall in one " +
				"of the many local minima; the global minimum is the sharp tip of the funnel at the origin.",
			Func: Ackley{}, Domain: Domain{-5, 5, -5, 5}, Start: Vec{3.2, 2.7}, LR: 0.01,
			Critical: ackleyCritical(Domain{-5, 5, -5, 5}),
		},
		{
			ID: "beale", Name: "Beale",
			Formula: "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
			Description: "A wide flat basin bordered by steep ridges that shoot up towards the corners. The " +
				"minimum at (3, 0.5) lies at the end of a shallow arm, where gradients are tiny and plain " +
				"gradient descent slows to a crawl while adaptive methods keep their pace.",
			Func: Beale{}, Domain: Domain{-4.5, 4.5, -4.5, 4.5}, Start: Vec{1, 1.5}, LR: 0.02,
			Critical: []CriticalPoint{
				minAt(3, 0.5, 0, true),
				saddleAt(0.10053793732415835927, -2.6445135850231249689, 9.8645122847555601724),
				saddleAt(0, 1, 14.203125),
			},
		},
		{
			ID: "booth", Name: "Booth",
			Formula: "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
			Description: "A tilted quadratic bowl with a single minimum at (1, 3). Its axes are not aligned " +
				"with x and y, so methods that scale each coordinate separately (Adagrad, RMSprop, Adam) " +
				"take a curved path where gradient descent takes a straight one.",
			Func: Booth{}, Domain: Domain{-10, 10, -10, 10}, Start: Vec{-8, -6}, LR: 0.05,
			Critical: []CriticalPoint{minAt(1, 3, 0, true)},
		},
		{
			ID: "matyas", Name: "Matyas",
			Formula: "0.26*(x^2 + y^2) - 0.48*x*y",
			Description: "A quadratic whose long, nearly flat valley runs along the diagonal x = y, 25 times " +
				"flatter than across. Gradient descent drops into the valley at once and then creeps " +
				"along it to the minimum at the origin.",
			Func: Matyas{}, Domain: Domain{-10, 10, -10, 10}, Start: Vec{8, 3}, LR: 1.5,
			Critical: []CriticalPoint{minAt(0, 0, 0, true)},
		},
		{
			ID: "goldstein-price", Name: "Goldstein–Price",
			Formula: "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))*" +
				"(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
			Description: "Values ranging from 3 to about a million within a small square: gradients are " +
				"enormous on the slopes and tiny in the basins, so no single learning rate suits plain " +
				"gradient descent. Global minimum 3 at (0, -1), three local minima nearby.",
			Func: GoldsteinPrice{}, Domain: Domain{-2, 2, -2, 2}, Start: Vec{1.5, -0.5}, LR: 3e-5,
			Critical: []CriticalPoint{
				minAt(0, -1, 3, true),
				minAt(-0.6, -0.4, 30, false),
				minAt(1.8, 0.2, 84, false),
				minAt(1.2, 0.8, 840, false),
				saddleAt(-0.4, -0.6, 35),
				saddleAt(1.2, -0.2, 99),
				saddleAt(1.4, 0.6, 980),
				saddleAt(0.6, 0.4, 990),
				maxAt(0.8, 0.2, 1155),
			},
		},
		{
			ID: "six-hump-camel", Name: "Six-hump camel",
			Formula: "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
			Description: "Six minima in a small box: two global ones, mirror images of each other near " +
				"(±0.09, ∓0.71), and four local ones further out. A good test of which basin an optimizer " +
				"falls into, and of how the saddle at the origin splits the two best ones.",
			Func: SixHumpCamel{}, Domain: Domain{-2, 2, -1, 1}, Start: Vec{-1.5, -0.8}, LR: 0.01,
			Critical: []CriticalPoint{
				minAt(0.089842013100318062422, -0.7126564030207396334, -1.0316284534898773504, true),
				minAt(-0.089842013100318062422, 0.7126564030207396334, -1.0316284534898773504, true),
				minAt(1.7036067149699808488, -0.79608356867262511903, -0.21546382438371763758, false),
				minAt(-1.7036067149699808488, 0.79608356867262511903, -0.21546382438371763758, false),
				minAt(1.6071047529201972298, 0.56865145488413137139, 2.1042503103112582746, false),
				minAt(-1.6071047529201972298, -0.56865145488413137139, 2.1042503103112582746, false),
				saddleAt(0, 0, 0),
				saddleAt(1.1092053368047864474, -0.76826809250953984178, 0.54371860097818513539),
				saddleAt(-1.1092053368047864474, 0.76826809250953984178, 0.54371860097818513539),
				saddleAt(1.6380679841897785638, 0.22867406904439406995, 2.2293571975307147209),
				saddleAt(-1.6380679841897785638, -0.22867406904439406995, 2.2293571975307147209),
				saddleAt(1.2960702671671091833, 0.60508438803865849681, 2.2294708180298599234),
				saddleAt(-1.2960702671671091833, -0.60508438803865849681, 2.2294708180298599234),
				maxAt(1.2302298765166526266, 0.16233458445899497001, 2.4962953510235769337),
				maxAt(-1.2302298765166526266, -0.16233458445899497001, 2.4962953510235769337),
			},
		},
		{
			ID: "three-hump-camel", Name: "Three-hump camel",
			Formula: "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2",
			Description: "A global minimum at the origin between two shallower local minima, separated " +
				"from them by two saddles: the smallest landscape where the starting point decides the " +
				"outcome.",
			Func: ThreeHumpCamel{}, Domain: Domain{-2, 2, -2, 2}, Start: Vec{-1.9, 1.9}, LR: 0.02,
			Critical: []CriticalPoint{
				minAt(0, 0, 0, true),
				minAt(1.7475523458302888986, -0.87377617291514444929, 0.29863844223685981976, false),
				minAt(-1.7475523458302888986, 0.87377617291514444929, 0.29863844223685981976, false),
				saddleAt(1.0705422918236599731, -0.53527114591182998654, 0.87736155776314018024),
				saddleAt(-1.0705422918236599731, 0.53527114591182998654, 0.87736155776314018024),
			},
		},
		{
			ID: "styblinski-tang", Name: "Styblinski–Tang",
			Formula: "0.5*((x^4 - 16*x^2 + 5*x) + (y^4 - 16*y^2 + 5*y))",
			Description: "Each coordinate has its own double well, so the plane has four minima: the global " +
				"one near (-2.90, -2.90), two mixed ones and the worst near (2.75, 2.75). Each coordinate " +
				"picks its well independently, so a start decides the outcome axis by axis.",
			Func: StyblinskiTang{}, Domain: Domain{-5, 5, -5, 5}, Start: Vec{1, -1}, LR: 0.01,
			Critical: []CriticalPoint{
				minAt(stA, stA, st(stA, stA), true),
				minAt(stA, stB, st(stA, stB), false),
				minAt(stB, stA, st(stB, stA), false),
				minAt(stB, stB, st(stB, stB), false),
				saddleAt(stA, stC, st(stA, stC)),
				saddleAt(stC, stA, st(stC, stA)),
				saddleAt(stB, stC, st(stB, stC)),
				saddleAt(stC, stB, st(stC, stB)),
				maxAt(stC, stC, st(stC, stC)),
			},
		},
		{
			ID: "levy13", Name: "Lévy N.13",
			Formula: "sin(3*pi*x)^2 + (x - 1)^2*(1 + sin(3*pi*y)^2) + (y - 1)^2*(1 + sin(2*pi*y)^2)",
			Description: "A rippled valley: sine terms carve parallel grooves into a bowl centred at (1, 1), " +
				"the global minimum. Optimizers tend to slide along a groove into a local minimum before " +
				"they reach the centre.",
			Func: Levy13{}, Domain: levyDomain, Start: Vec{-0.6, 2.6}, LR: 0.005,
			Critical: levyCritical(),
		},
		{
			ID: "mccormick", Name: "McCormick",
			Formula: "sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1",
			Description: "A tilted trough with a sine ripple along it: a global minimum at (0.5 - π/3, " +
				"-0.5 - π/3), a local one further up the trough and a saddle between them.",
			Func: McCormick{}, Domain: Domain{-1.5, 4, -3, 4}, Start: Vec{3.5, 3.5}, LR: 0.05,
			Critical: []CriticalPoint{
				minAt(mx1, my1, mv1, true),
				minAt(mx2, my2, mv2, false),
				saddleAt(mx3, my3, mv3),
			},
		},
		{
			ID: "saddle", Name: "Saddle",
			Formula: "x^2 - y^2",
			Description: "A pure saddle with no minimum at all: the origin is the lowest point along x and " +
				"the highest along y. Started almost on the x axis, gradient descent first slides " +
				"towards the saddle point and lingers there before the tiny y component grows and it " +
				"escapes; the run then leaves the picture for good.",
			Func: SaddleFunc{}, Domain: Domain{-2, 2, -2, 2}, Start: Vec{-1.8, 0.01}, LR: 0.05,
			Critical: []CriticalPoint{saddleAt(0, 0, 0)},
		},
	}
}
