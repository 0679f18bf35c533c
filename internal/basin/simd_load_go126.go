//go:build goexperiment.simd && amd64 && !go1.27

package basin

import "simd/archsimd"

// Go 1.26's archsimd loads and stores whole vectors through array pointers;
// Go 1.27 renamed those to LoadFloat64x8Array and StoreArray (its plain
// Load and Store take slices), and RoundToEven to Round. The kernels call
// these wrappers so the same source builds on both releases; each inlines
// to one instruction.

func load8(p *[8]float64) f8 { return archsimd.LoadFloat64x8(p) }

func store8(v f8, p *[8]float64) { v.Store(p) }

func load4(p *[4]float64) f4 { return archsimd.LoadFloat64x4(p) }

func store4(v f4, p *[4]float64) { v.Store(p) }

func roundToEven8(x f8) f8 { return x.RoundToEvenScaled(0) }

func roundToEven4(x f4) f4 { return x.RoundToEven() }
