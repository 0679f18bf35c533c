package basin

import "github.com/basin-dev/basin/internal/landscape"

// vecGrad names a function whose value and gradient the SIMD kernel
// (simd_on.go) computes eight points at a time, with the same operations as
// its ValueGrad. The list is the same in every build, so the tests that
// guard the kernel's assumptions about these functions run everywhere.
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
	}
	return nil
}
