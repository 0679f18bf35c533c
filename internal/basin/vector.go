package basin

import "github.com/basin-dev/basin/internal/landscape"

// vecGrad names a function whose value and gradient the SIMD kernel
// (simd_on.go) computes eight points at a time, with the same operations as
// its ValueGrad. The list of polynomials is the same in every build, so
// the tests that guard the kernel's assumptions about these functions run
// everywhere; the presets built on sines, cosines and exponentials join it
// where the kernel's ports of math.Sincos and math.Exp take Go's own path
// (trigExact, expMatchesKernel).
type vecGrad struct{ kind int }

const (
	vgHimmelblau = iota + 1
	vgRosenbrock
	vgDoubleWell
	vgQuadratic
	vgElliptic
	vgBooth
	vgMatyas
	vgSaddle
	vgThreeHumpCamel
	vgSixHumpCamel
	vgStyblinskiTang
	vgRastrigin
	vgAckley
	vgLevy13
	vgMcCormick
)

func vecGradOf(f landscape.Function) *vecGrad {
	switch f.(type) {
	case landscape.Himmelblau:
		return &vecGrad{vgHimmelblau}
	case landscape.Rosenbrock:
		return &vecGrad{vgRosenbrock}
	case landscape.DoubleWell:
		return &vecGrad{vgDoubleWell}
	case landscape.Quadratic:
		return &vecGrad{vgQuadratic}
	case landscape.Elliptic:
		return &vecGrad{vgElliptic}
	case landscape.Booth:
		return &vecGrad{vgBooth}
	case landscape.Matyas:
		return &vecGrad{vgMatyas}
	case landscape.SaddleFunc:
		return &vecGrad{vgSaddle}
	case landscape.ThreeHumpCamel:
		return &vecGrad{vgThreeHumpCamel}
	case landscape.SixHumpCamel:
		return &vecGrad{vgSixHumpCamel}
	case landscape.StyblinskiTang:
		return &vecGrad{vgStyblinskiTang}
	case landscape.Rastrigin:
		return trigVecGrad(vgRastrigin)
	case landscape.Levy13:
		return trigVecGrad(vgLevy13)
	case landscape.McCormick:
		return trigVecGrad(vgMcCormick)
	case landscape.Ackley:
		if !expMatchesKernel {
			return nil
		}
		return trigVecGrad(vgAckley)
	}
	return nil
}

// trigVecGrad is the vector form of a preset built on math.Sincos, where
// the kernel's unfused port of it gives Go's bits (trigExact).
func trigVecGrad(kind int) *vecGrad {
	if !trigExact {
		return nil
	}
	return &vecGrad{kind}
}
