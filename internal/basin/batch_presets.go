package basin

import "github.com/basin-dev/basin/internal/landscape"

// One batched wrapper per preset type. Each calls the preset's own
// ValueGrad through its concrete type, so the compiler inlines it into the
// loop and the results are the preset's, bit for bit, by construction.

type quadraticN struct{}

func (quadraticN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Quadratic{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type ellipticN struct{}

func (ellipticN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Elliptic{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type rosenbrockN struct{}

func (rosenbrockN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Rosenbrock{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type himmelblauN struct{}

func (himmelblauN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Himmelblau{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type doubleWellN struct{}

func (doubleWellN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.DoubleWell{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type rastriginN struct{}

func (rastriginN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Rastrigin{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type ackleyN struct{}

func (ackleyN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Ackley{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type bealeN struct{}

func (bealeN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Beale{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type boothN struct{}

func (boothN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Booth{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type matyasN struct{}

func (matyasN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Matyas{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type goldsteinPriceN struct{}

func (goldsteinPriceN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.GoldsteinPrice{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type sixHumpCamelN struct{}

func (sixHumpCamelN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.SixHumpCamel{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type threeHumpCamelN struct{}

func (threeHumpCamelN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.ThreeHumpCamel{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type styblinskiTangN struct{}

func (styblinskiTangN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.StyblinskiTang{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type levy13N struct{}

func (levy13N) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.Levy13{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type mcCormickN struct{}

func (mcCormickN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.McCormick{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

type saddleFuncN struct{}

func (saddleFuncN) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(landscape.SaddleFunc{}.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

// presetBatch returns the batched wrapper of a preset function, or nil.
func presetBatch(f landscape.Function) BatchGrad {
	switch f.(type) {
	case landscape.Quadratic:
		return quadraticN{}
	case landscape.Elliptic:
		return ellipticN{}
	case landscape.Rosenbrock:
		return rosenbrockN{}
	case landscape.Himmelblau:
		return himmelblauN{}
	case landscape.DoubleWell:
		return doubleWellN{}
	case landscape.Rastrigin:
		return rastriginN{}
	case landscape.Ackley:
		return ackleyN{}
	case landscape.Beale:
		return bealeN{}
	case landscape.Booth:
		return boothN{}
	case landscape.Matyas:
		return matyasN{}
	case landscape.GoldsteinPrice:
		return goldsteinPriceN{}
	case landscape.SixHumpCamel:
		return sixHumpCamelN{}
	case landscape.ThreeHumpCamel:
		return threeHumpCamelN{}
	case landscape.StyblinskiTang:
		return styblinskiTangN{}
	case landscape.Levy13:
		return levy13N{}
	case landscape.McCormick:
		return mcCormickN{}
	case landscape.SaddleFunc:
		return saddleFuncN{}
	}
	return nil
}
