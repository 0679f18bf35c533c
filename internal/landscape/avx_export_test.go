package landscape

// ClearUpper lets the benchmarks of package landscape_test start clean in
// GOEXPERIMENT=simd builds, as Sample and FindCritical do (avx_simd.go), so
// they measure the evaluation rather than a preemption's leftover state.
var ClearUpper = clearUpper
