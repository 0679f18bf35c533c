//go:build goexperiment.simd && amd64

package landscape

import "simd/archsimd"

// In GOEXPERIMENT=simd builds on a CPU with AVX2 or AVX-512, the runtime's
// asynchronous preemption restores the vector registers with 256- or
// 512-bit moves (runtime/preempt_amd64.s) and leaves their upper halves
// dirty; Go's scalar float code then runs 10 to 35 times slower until
// something executes VZEROUPPER (Sample of Ackley: 45 -> 370-990 cpu-ns
// per point on the project's machine). A preemption can land anywhere, so
// Sample clears the state before every row and FindCritical before every
// start. optim/avx.go has the whole story.

// canClearUpper is whether VZEROUPPER exists on this CPU: it is an AVX
// instruction, and without AVX the runtime never dirties the upper state.
var canClearUpper = archsimd.X86.AVX()

// clearUpper ends any dirty upper state of the vector registers. No vector
// value is ever live in landscape, so it may be called anywhere.
func clearUpper() {
	if canClearUpper {
		archsimd.ClearAVXUpperBits()
	}
}
