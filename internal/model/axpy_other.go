//go:build !amd64

package model

// axpy8 adds s[0]*x[0:] + ... + s[7]*x[7*stride:] to y (len(y) rows).
func axpy8(y []float64, s []float64, x []float64, stride int) { axpy8Go(y, s, x, stride) }
