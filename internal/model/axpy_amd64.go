package model

// hasFMA reports AVX2 and FMA with the OS saving the vector registers:
// then axpy8 runs the assembly kernel, four rows per instruction.
var hasFMA = detectFMA()

func detectFMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xgetbv0()&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

//go:noescape
func axpy8FMA(y *float64, n int, s *[8]float64, x *float64, stride int, bias float64, mode int)

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

func xgetbv0() uint32

// axpy8 adds s[0]*x[0:] + ... + s[7]*x[7*stride:] to y (len(y) rows);
// mode kernelInit starts from bias instead of y, kernelReLU applies ReLU to
// the result.
func axpy8(y []float64, s []float64, x []float64, stride int, bias float64, mode int) {
	n := len(y)
	if hasFMA && n > 0 {
		_ = x[7*stride+n-1] // bounds: the kernel reads eight runs of n
		axpy8FMA(&y[0], n, (*[8]float64)(s[:8]), &x[0], stride, bias, mode)
		return
	}
	axpy8Go(y, s, x, stride, bias, mode)
}

//go:noescape
func layer4FMA(z *float64, w *float64, in int, bias *[4]float64, a *float64, stride int, blocks int, relu int)

// layer4 computes four units of a dense layer on rows [0, 8*blocks), as
// layer4Go does, in the assembly kernel; it needs hasFMA.
func layer4(z, w []float64, in int, bias *[4]float64, a []float64, stride, blocks int, fuseReLU bool) {
	if blocks <= 0 {
		return
	}
	// bounds: the kernel writes four runs and reads in runs of 8*blocks
	_, _, _ = z[3*stride+8*blocks-1], a[(in-1)*stride+8*blocks-1], w[4*in-1]
	if 8*blocks > stride {
		panic("model: layer4 rows overlap the next unit")
	}
	r := 0
	if fuseReLU {
		r = 1
	}
	layer4FMA(&z[0], &w[0], in, bias, &a[0], stride, blocks, r)
}
