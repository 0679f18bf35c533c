//go:build goexperiment.simd && amd64 && go1.27

package basin

import "simd/archsimd"

// See simd_load_go126.go: the same wrappers over Go 1.27's names.

func load8(p *[8]float64) f8 { return archsimd.LoadFloat64x8Array(p) }

func store8(v f8, p *[8]float64) { v.StoreArray(p) }

func load4(p *[4]float64) f4 { return archsimd.LoadFloat64x4Array(p) }

func store4(v f4, p *[4]float64) { v.StoreArray(p) }

// Round and RoundScaled round ties to even, as Go 1.26's RoundToEven did.

func roundToEven8(x f8) f8 { return x.RoundScaled(0) }

func roundToEven4(x f4) f4 { return x.Round() }
