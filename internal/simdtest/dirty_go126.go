//go:build goexperiment.simd && amd64 && !go1.27

package simdtest

import "simd/archsimd"

// DirtyUpper leaves the upper halves of the vector registers dirty: a
// 512-bit (or, without AVX-512, 256-bit) register write with no VZEROUPPER
// after it. dst receives the broadcast value so the write is not dead.
//
//go:noinline
func DirtyUpper(dst *[8]float64, v float64) {
	if archsimd.X86.AVX512() {
		archsimd.BroadcastFloat64x8(v).Store(dst)
		return
	}
	archsimd.BroadcastFloat64x4(v).Store((*[4]float64)(dst[:4]))
}
