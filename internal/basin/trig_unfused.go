//go:build amd64 && !amd64.v3

package basin

// trigExact is whether math.Sincos, compiled for this target, rounds every
// multiplication and addition on its own, as the kernel's port of it
// (simd_math.go) does. From GOAMD64=v3 on the compiler fuses its a*b+c
// into FMA instructions wherever it sees fit, which the port does not
// follow, so those builds leave the trigonometric presets to the lock-step
// engine.
const trigExact = true
