//go:build !(goexperiment.simd && amd64)

package landscape

// clearUpper has nothing to do outside GOEXPERIMENT=simd builds on amd64:
// there the runtime saves and restores only the 128-bit registers (see
// avx_simd.go).
func clearUpper() {}
