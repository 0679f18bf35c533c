//go:build !amd64

package model

// axpy8 adds s[0]*x[0:] + ... + s[7]*x[7*stride:] to y (len(y) rows);
// mode kernelInit starts from bias instead of y, kernelReLU applies ReLU to
// the result.
func axpy8(y []float64, s []float64, x []float64, stride int, bias float64, mode int) {
	axpy8Go(y, s, x, stride, bias, mode)
}

// hasFMA is false: no assembly kernel off amd64.
const hasFMA = false

// layer4 is layer4Go: forward only calls it when hasFMA.
func layer4(z, w []float64, in int, bias *[4]float64, a []float64, stride, n int, fuseReLU bool) {
	layer4Go(z, w, in, bias, a, stride, n, fuseReLU)
}

// bceSum is bceSumGo: no assembly kernel off amd64.
func bceSum(z, y []float64) float64 { return bceSumGo(z, y) }

// hasAVX512 is false: no assembly kernel off amd64.
const hasAVX512 = false

// layer8 is never called off amd64 (hasAVX512 is false).
func layer8(z, w []float64, in int, bias *[8]float64, a []float64, stride, n int, fuseReLU bool) {
	panic("model: layer8 without AVX-512")
}
