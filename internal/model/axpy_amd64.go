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

//go:noescape
func layer4AVX512(z *float64, w *float64, in int, bias *[4]float64, a *float64, stride int, blocks int, relu int)

//go:noescape
func layer8AVX512(z *float64, w *float64, in int, bias *[8]float64, a *float64, stride int, blocks int, relu int)

// layer8 is layer4 for eight units, units j and j+4 as two calls of
// layer4 would compute them, in one pass over the inputs; it needs
// hasAVX512 and writes rows up to the next multiple of 16.
func layer8(z, w []float64, in int, bias *[8]float64, a []float64, stride, n int, fuseReLU bool) {
	if n <= 0 {
		return
	}
	rows := (n + 15) / 16 * 16
	if rows > stride {
		panic("model: layer8 rows overlap the next unit")
	}
	_, _, _ = z[7*stride+rows-1], a[(in-1)*stride+rows-1], w[8*in-1]
	r := 0
	if fuseReLU {
		r = 1
	}
	layer8AVX512(&z[0], &w[0], in, bias, &a[0], stride, rows/16, r)
}

// hasAVX512 reports AVX-512F and DQ with the OS saving the ZMM registers and
// masks: then layer4 runs eight rows per instruction. On cores with a
// full 512-bit datapath that doubles the multiply-adds per cycle.
var hasAVX512 = hasFMA && detectAVX512()

func detectAVX512() bool {
	if xgetbv0()&0xe6 != 0xe6 { // XMM, YMM, opmask and both ZMM halves
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const f, dq = 1 << 16, 1 << 17 // AVX-512F; DQ for the loss's conversion to int64
	return ebx7&(f|dq) == f|dq
}

// layer4 computes four units of a dense layer on rows [0, n), as layer4Go
// does, in an assembly kernel; it needs hasFMA. The kernel works in blocks
// of 8 or 16 rows and so may write rows up to the next multiple of 16,
// which must lie within stride.
func layer4(z, w []float64, in int, bias *[4]float64, a []float64, stride, n int, fuseReLU bool) {
	if n <= 0 {
		return
	}
	block := 8
	if hasAVX512 {
		block = 16
	}
	rows := (n + block - 1) / block * block
	if rows > stride {
		panic("model: layer4 rows overlap the next unit")
	}
	// bounds: the kernel writes four runs and reads in runs of rows
	_, _, _ = z[3*stride+rows-1], a[(in-1)*stride+rows-1], w[4*in-1]
	r := 0
	if fuseReLU {
		r = 1
	}
	if hasAVX512 {
		layer4AVX512(&z[0], &w[0], in, bias, &a[0], stride, rows/block, r)
		return
	}
	layer4FMA(&z[0], &w[0], in, bias, &a[0], stride, rows/block, r)
}
