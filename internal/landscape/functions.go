package landscape

import "math"

// This file holds one small value type per preset function. Each computes
// the plain textbook formula with its exact gradient, without allocating.
//
// Fused multiply-add: Go may fuse a*b+c into one FMA instruction (it does on
// arm64, ppc64, s390x and on amd64 with GOAMD64=v3), which rounds once
// instead of twice and so changes results in the last bits, and with them
// whole trajectories on chaotic landscapes. The language spec lets an
// explicit conversion stop this: float64(a*b) must be rounded to float64, so
// float64(a*b) + c is never fused. Every product that is then added or
// subtracted is therefore wrapped in float64(...), which makes the results
// the same on every architecture. Checked by compiling the package for arm64
// and for GOAMD64=v3 with -gcflags=-S and finding no FMA instruction in
// these functions (TestNoFMA in functions_test.go does this on every test
// run). Intermediate products that are later added are converted where they
// are defined, since fusion may cross statements, and a product doubled as
// 2*(a*b) is converted too, because the compiler rewrites 2*t as t+t and
// would then fuse a*b+t.

// twoPi is 2π rounded once; 2*math.Pi is exact doubling of the float64 π,
// so it equals what an expression "2*pi" computes.
const twoPi = 2 * math.Pi

// Quadratic is the isotropic bowl 0.5(x²+y²), the friendliest landscape:
// its gradient is the position itself.
type Quadratic struct{}

func (Quadratic) Value(p Vec) float64 {
	return 0.5 * (float64(p.X*p.X) + float64(p.Y*p.Y))
}

func (q Quadratic) ValueGrad(p Vec) (float64, Vec) {
	return q.Value(p), Vec{p.X, p.Y}
}

// Elliptic is the ill-conditioned bowl 0.5(x²+10y²) (condition number 10),
// the standard picture of gradient descent zig-zagging across a valley.
type Elliptic struct{}

func (Elliptic) Value(p Vec) float64 {
	return 0.5 * (float64(p.X*p.X) + float64(10*(p.Y*p.Y)))
}

func (e Elliptic) ValueGrad(p Vec) (float64, Vec) {
	return e.Value(p), Vec{p.X, 10 * p.Y}
}

// Rosenbrock is (1-x)² + 100(y-x²)² (a=1, b=100): a curved, flat-bottomed
// valley whose minimum (1, 1) is easy to reach and slow to walk to.
type Rosenbrock struct{}

func (Rosenbrock) Value(p Vec) float64 {
	a := 1 - p.X
	b := p.Y - float64(p.X*p.X)
	return float64(a*a) + float64(100*(b*b))
}

func (Rosenbrock) ValueGrad(p Vec) (float64, Vec) {
	a := 1 - p.X
	b := p.Y - float64(p.X*p.X)
	f := float64(a*a) + float64(100*(b*b))
	return f, Vec{float64(-2*a) - float64(400*p.X*b), 200 * b}
}

// Himmelblau is (x²+y-11)² + (x+y²-7)²: four global minima of value 0, one
// local maximum and four saddles.
type Himmelblau struct{}

func (Himmelblau) Value(p Vec) float64 {
	a := float64(p.X*p.X) + p.Y - 11
	b := p.X + float64(p.Y*p.Y) - 7
	return float64(a*a) + float64(b*b)
}

func (Himmelblau) ValueGrad(p Vec) (float64, Vec) {
	a := float64(p.X*p.X) + p.Y - 11
	b := p.X + float64(p.Y*p.Y) - 7
	f := float64(a*a) + float64(b*b)
	return f, Vec{float64(4*p.X*a) + float64(2*b), float64(2*a) + float64(4*p.Y*b)}
}

// DoubleWell is x⁴ - 2.625x² + 1.25x + y², designed for teaching local
// versus global minima. Its x-derivative 4x³ - 5.25x + 1.25 factors as
// 4(x+1.25)(x-0.25)(x-1), so every critical point is exact in float64: the
// global minimum (-1.25, 0) with value -3.22265625, the local minimum (1, 0)
// with value -0.375, and the saddle (0.25, 0) with value 0.15234375 on the
// ridge between them. The barrier is 0.527 high seen from the local minimum
// and 3.375 from the global one, so plain gradient descent started on the
// right stays in the shallow well while momentum or a large step can cross.
type DoubleWell struct{}

func (DoubleWell) Value(p Vec) float64 {
	x2 := float64(p.X * p.X)
	return float64(x2*x2) - float64(2.625*x2) + float64(1.25*p.X) + float64(p.Y*p.Y)
}

func (DoubleWell) ValueGrad(p Vec) (float64, Vec) {
	x2 := float64(p.X * p.X)
	f := float64(x2*x2) - float64(2.625*x2) + float64(1.25*p.X) + float64(p.Y*p.Y)
	return f, Vec{float64(4*x2*p.X) - float64(5.25*p.X) + 1.25, 2 * p.Y}
}

// Rastrigin is 20 + x² - 10cos(2πx) + y² - 10cos(2πy): a bowl covered in
// a regular egg-box of local minima near every integer point.
type Rastrigin struct{}

func (Rastrigin) Value(p Vec) float64 {
	return 20 + float64(p.X*p.X) - float64(10*math.Cos(twoPi*p.X)) +
		float64(p.Y*p.Y) - float64(10*math.Cos(twoPi*p.Y))
}

func (Rastrigin) ValueGrad(p Vec) (float64, Vec) {
	sx, cx := math.Sincos(twoPi * p.X)
	sy, cy := math.Sincos(twoPi * p.Y)
	f := 20 + float64(p.X*p.X) - float64(10*cx) + float64(p.Y*p.Y) - float64(10*cy)
	return f, Vec{
		float64(2*p.X) + float64(20*math.Pi*sx),
		float64(2*p.Y) + float64(20*math.Pi*sy),
	}
}

// Ackley is -20exp(-0.2sqrt(0.5(x²+y²))) - exp(0.5(cos 2πx + cos 2πy)) + e +
// 20 (a=20, b=0.2, c=2π): a nearly flat, rippled plateau around a deep
// funnel at the origin.
//
// The origin is the tip of a cone, where the gradient does not exist;
// ValueGrad returns 0 there (the minimal-norm subgradient), so an optimizer
// that lands exactly on the minimum stays on it.
type Ackley struct{}

func (Ackley) Value(p Vec) float64 {
	r := math.Sqrt(0.5 * (float64(p.X*p.X) + float64(p.Y*p.Y)))
	c := 0.5 * (math.Cos(twoPi*p.X) + math.Cos(twoPi*p.Y))
	return float64(-20*math.Exp(-0.2*r)) - math.Exp(c) + math.E + 20
}

func (Ackley) ValueGrad(p Vec) (float64, Vec) {
	r := math.Sqrt(0.5 * (float64(p.X*p.X) + float64(p.Y*p.Y)))
	sx, cx := math.Sincos(twoPi * p.X)
	sy, cy := math.Sincos(twoPi * p.Y)
	e1 := math.Exp(-0.2 * r)
	e2 := math.Exp(0.5 * (cx + cy))
	f := float64(-20*e1) - e2 + math.E + 20
	var g Vec
	if r > 0 {
		k := 2 * e1 / r
		g.X = float64(k*p.X) + float64(math.Pi*e2*sx)
		g.Y = float64(k*p.Y) + float64(math.Pi*e2*sy)
	} else {
		g.X = math.Pi * e2 * sx
		g.Y = math.Pi * e2 * sy
	}
	return f, g
}

// Beale is (1.5-x+xy)² + (2.25-x+xy²)² + (2.625-x+xy³)²: a flat basin with
// sharp ridges along its edges, global minimum (3, 0.5).
type Beale struct{}

func (Beale) Value(p Vec) float64 {
	y2 := float64(p.Y * p.Y)
	a := 1.5 - p.X + float64(p.X*p.Y)
	b := 2.25 - p.X + float64(p.X*y2)
	c := 2.625 - p.X + float64(p.X*(y2*p.Y))
	return float64(a*a) + float64(b*b) + float64(c*c)
}

func (Beale) ValueGrad(p Vec) (float64, Vec) {
	y2 := float64(p.Y * p.Y)
	y3 := float64(y2 * p.Y)
	a := 1.5 - p.X + float64(p.X*p.Y)
	b := 2.25 - p.X + float64(p.X*y2)
	c := 2.625 - p.X + float64(p.X*y3)
	f := float64(a*a) + float64(b*b) + float64(c*c)
	gx := float64(2*a*(p.Y-1)) + float64(2*b*(y2-1)) + float64(2*c*(y3-1))
	gy := float64(2*a*p.X) + float64(4*b*p.X*p.Y) + float64(6*c*p.X*y2)
	return f, Vec{gx, gy}
}

// Booth is (x+2y-7)² + (2x+y-5)²: a tilted quadratic bowl, minimum (1, 3).
type Booth struct{}

func (Booth) Value(p Vec) float64 {
	a := p.X + float64(2*p.Y) - 7
	b := float64(2*p.X) + p.Y - 5
	return float64(a*a) + float64(b*b)
}

func (Booth) ValueGrad(p Vec) (float64, Vec) {
	a := p.X + float64(2*p.Y) - 7
	b := float64(2*p.X) + p.Y - 5
	f := float64(a*a) + float64(b*b)
	return f, Vec{float64(2*a) + float64(4*b), float64(4*a) + float64(2*b)}
}

// Matyas is 0.26(x²+y²) - 0.48xy: a quadratic whose long, nearly flat
// valley along x = y has condition number 25.
type Matyas struct{}

func (Matyas) Value(p Vec) float64 {
	return float64(0.26*(float64(p.X*p.X)+float64(p.Y*p.Y))) - float64(0.48*p.X*p.Y)
}

func (m Matyas) ValueGrad(p Vec) (float64, Vec) {
	return m.Value(p), Vec{float64(0.52*p.X) - float64(0.48*p.Y), float64(0.52*p.Y) - float64(0.48*p.X)}
}

// GoldsteinPrice is the product A(x, y)·B(x, y) of
// A = 1 + (x+y+1)²(19 - 14x + 3x² - 14y + 6xy + 3y²) and
// B = 30 + (2x-3y)²(18 - 32x + 12x² + 48y - 36xy + 27y²): values from 3 to
// about a million, global minimum 3 at (0, -1) and three local minima.
type GoldsteinPrice struct{}

// parts returns A, B and their gradients.
func (GoldsteinPrice) parts(p Vec) (a, b float64, da, db Vec) {
	x, y := p.X, p.Y
	s := x + y + 1
	u := 19 - float64(14*x) + float64(3*(x*x)) - float64(14*y) + float64(6*x*y) + float64(3*(y*y))
	ux := -14 + float64(6*x) + float64(6*y) // = ∂u/∂y as well
	t := float64(2*x) - float64(3*y)
	v := 18 - float64(32*x) + float64(12*(x*x)) + float64(48*y) - float64(36*x*y) + float64(27*(y*y))
	vx := -32 + float64(24*x) - float64(36*y)
	vy := 48 - float64(36*x) + float64(54*y)
	s2, t2 := float64(s*s), float64(t*t)
	a = 1 + float64(s2*u)
	b = 30 + float64(t2*v)
	dau := float64(2*s*u) + float64(s2*ux)
	da = Vec{dau, dau}
	db = Vec{float64(4*t*v) + float64(t2*vx), float64(-6*t*v) + float64(t2*vy)}
	return a, b, da, db
}

func (GoldsteinPrice) Value(p Vec) float64 {
	x, y := p.X, p.Y
	s := x + y + 1
	u := 19 - float64(14*x) + float64(3*(x*x)) - float64(14*y) + float64(6*x*y) + float64(3*(y*y))
	t := float64(2*x) - float64(3*y)
	v := 18 - float64(32*x) + float64(12*(x*x)) + float64(48*y) - float64(36*x*y) + float64(27*(y*y))
	return (1 + float64(s*s*u)) * (30 + float64(t*t*v))
}

func (g GoldsteinPrice) ValueGrad(p Vec) (float64, Vec) {
	a, b, da, db := g.parts(p)
	return a * b, Vec{float64(da.X*b) + float64(a*db.X), float64(da.Y*b) + float64(a*db.Y)}
}

// SixHumpCamel is (4 - 2.1x² + x⁴/3)x² + xy + (-4 + 4y²)y²: six minima,
// two of them global, in a small box.
type SixHumpCamel struct{}

func (SixHumpCamel) Value(p Vec) float64 {
	x2, y2 := float64(p.X*p.X), float64(p.Y*p.Y)
	return float64((4-float64(2.1*x2)+float64(x2*x2)/3)*x2) + float64(p.X*p.Y) + float64((-4+float64(4*y2))*y2)
}

func (s SixHumpCamel) ValueGrad(p Vec) (float64, Vec) {
	x2, y2 := float64(p.X*p.X), float64(p.Y*p.Y)
	f := float64((4-float64(2.1*x2)+float64(x2*x2)/3)*x2) + float64(p.X*p.Y) + float64((-4+float64(4*y2))*y2)
	gx := float64(8*p.X) - float64(8.4*x2*p.X) + float64(2*float64(x2*x2)*p.X) + p.Y
	gy := p.X - float64(8*p.Y) + float64(16*y2*p.Y)
	return f, Vec{gx, gy}
}

// ThreeHumpCamel is 2x² - 1.05x⁴ + x⁶/6 + xy + y²: a global minimum at the
// origin flanked by two local minima.
type ThreeHumpCamel struct{}

func (ThreeHumpCamel) Value(p Vec) float64 {
	x2 := float64(p.X * p.X)
	x4 := float64(x2 * x2)
	return float64(2*x2) - float64(1.05*x4) + float64(x4*x2)/6 + float64(p.X*p.Y) + float64(p.Y*p.Y)
}

func (ThreeHumpCamel) ValueGrad(p Vec) (float64, Vec) {
	x2 := float64(p.X * p.X)
	x4 := float64(x2 * x2)
	f := float64(2*x2) - float64(1.05*x4) + float64(x4*x2)/6 + float64(p.X*p.Y) + float64(p.Y*p.Y)
	gx := float64(4*p.X) - float64(4.2*x2*p.X) + float64(x4*p.X) + p.Y
	return f, Vec{gx, p.X + float64(2*p.Y)}
}

// StyblinskiTang is the 2D Styblinski–Tang function
// ((x⁴ - 16x² + 5x) + (y⁴ - 16y² + 5y))/2: separable, four minima of
// which the one near (-2.9035, -2.9035) is global.
type StyblinskiTang struct{}

func (StyblinskiTang) Value(p Vec) float64 {
	x2, y2 := float64(p.X*p.X), float64(p.Y*p.Y)
	return 0.5 * (float64(x2*x2) - float64(16*x2) + float64(5*p.X) +
		float64(y2*y2) - float64(16*y2) + float64(5*p.Y))
}

func (StyblinskiTang) ValueGrad(p Vec) (float64, Vec) {
	x2, y2 := float64(p.X*p.X), float64(p.Y*p.Y)
	f := 0.5 * (float64(x2*x2) - float64(16*x2) + float64(5*p.X) +
		float64(y2*y2) - float64(16*y2) + float64(5*p.Y))
	return f, Vec{
		0.5 * (float64(4*x2*p.X) - float64(32*p.X) + 5),
		0.5 * (float64(4*y2*p.Y) - float64(32*p.Y) + 5),
	}
}

// Levy13 is Lévy function N.13, sin²(3πx) + (x-1)²(1 + sin²(3πy)) +
// (y-1)²(1 + sin²(2πy)): a rippled valley with its global minimum at (1, 1).
type Levy13 struct{}

func (Levy13) Value(p Vec) float64 {
	sx := math.Sin(3 * math.Pi * p.X)
	sy := math.Sin(3 * math.Pi * p.Y)
	sw := math.Sin(twoPi * p.Y)
	a, b := p.X-1, p.Y-1
	return float64(sx*sx) + float64(a*a*(1+float64(sy*sy))) + float64(b*b*(1+float64(sw*sw)))
}

func (Levy13) ValueGrad(p Vec) (float64, Vec) {
	sx, cx := math.Sincos(3 * math.Pi * p.X)
	sy, cy := math.Sincos(3 * math.Pi * p.Y)
	sw, cw := math.Sincos(twoPi * p.Y)
	a, b := p.X-1, p.Y-1
	ky := 1 + float64(sy*sy)
	kw := 1 + float64(sw*sw)
	f := float64(sx*sx) + float64(a*a*ky) + float64(b*b*kw)
	gx := float64(6*math.Pi*sx*cx) + float64(2*a*ky)
	gy := float64(6*math.Pi*(a*a)*sy*cy) + float64(2*b*kw) + float64(4*math.Pi*(b*b)*sw*cw)
	return f, Vec{gx, gy}
}

// McCormick is sin(x+y) + (x-y)² - 1.5x + 2.5y + 1: a tilted bowl with a
// sine ripple along x+y.
type McCormick struct{}

func (McCormick) Value(p Vec) float64 {
	d := p.X - p.Y
	return math.Sin(p.X+p.Y) + float64(d*d) - float64(1.5*p.X) + float64(2.5*p.Y) + 1
}

func (McCormick) ValueGrad(p Vec) (float64, Vec) {
	s, c := math.Sincos(p.X + p.Y)
	d := p.X - p.Y
	f := s + float64(d*d) - float64(1.5*p.X) + float64(2.5*p.Y) + 1
	return f, Vec{c + float64(2*d) - 1.5, c - float64(2*d) + 2.5}
}

// SaddleFunc is x² - y², the plain saddle: no minimum at all, so every
// optimizer ends up leaving along y.
type SaddleFunc struct{}

func (SaddleFunc) Value(p Vec) float64 { return float64(p.X*p.X) - float64(p.Y*p.Y) }

func (s SaddleFunc) ValueGrad(p Vec) (float64, Vec) {
	return s.Value(p), Vec{2 * p.X, -2 * p.Y}
}
