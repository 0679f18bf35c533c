//go:build !(goexperiment.simd && amd64)

package optim

// clearUpper has nothing to do outside GOEXPERIMENT=simd builds on amd64:
// there the runtime saves and restores only the 128-bit registers (see
// avx.go).
func clearUpper() {}
