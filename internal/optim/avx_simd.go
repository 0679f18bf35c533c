//go:build goexperiment.simd && amd64

package optim

import "simd/archsimd"

// canClearUpper is whether VZEROUPPER exists on this CPU: it is an AVX
// instruction, and without AVX the runtime never dirties the upper state.
var canClearUpper = archsimd.X86.AVX()

// clearUpper ends any dirty upper state of the vector registers (see
// avx.go). It may be called anywhere in optim: no vector value is ever
// live here.
func clearUpper() {
	if canClearUpper {
		archsimd.ClearAVXUpperBits()
	}
}
