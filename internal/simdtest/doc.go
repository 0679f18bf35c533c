// Package simdtest holds what the tests of the GOEXPERIMENT=simd builds
// share: a way to leave the vector registers' upper halves dirty, as the
// runtime's asynchronous preemption does, so tests can check that the hot
// loops clear that state.
package simdtest
