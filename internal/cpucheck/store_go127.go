//go:build goexperiment.simd && amd64 && go1.27

package cpucheck

import "simd/archsimd"

// Go 1.27 renamed archsimd's array-pointer stores to StoreArray (its Store
// takes a slice); these wrappers let DirtyUpper build on Go 1.26 and 1.27.

func store8(v archsimd.Float64x8, p *[8]float64) { v.StoreArray(p) }

func store4(v archsimd.Float64x4, p *[4]float64) { v.StoreArray(p) }
