//go:build !(goexperiment.simd && amd64)

package basin

// This build has no SIMD kernel (it needs GOEXPERIMENT=simd on amd64), so
// Auto uses the lock-step engine and a forced SIMD engine is an error.

// SIMDAvailable reports whether a SIMD kernel (AVX-512, or AVX2 with FMA)
// is compiled in and the CPU can run it.
func SIMDAvailable() bool { return false }

func simdAvailable() bool { return false }

// narrowKernel exists for the tests, which set it in every build; only the
// SIMD build has a 4-wide kernel to choose.
var narrowKernel = false

// clearUpper is needed only in GOEXPERIMENT=simd builds (see simd_on.go).
func clearUpper() {}

type simdEngine struct{ p *plan }

func (simdEngine) newWorker() rowWorker { panic("basin: simd engine in a build without it") }

// expMatchesKernel is false: there is no kernel (see simd_on.go).
var expMatchesKernel = false
