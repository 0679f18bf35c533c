//go:build !amd64 || amd64.v3

package basin

// trigExact: see trig_unfused.go. Here the compiler may fuse inside
// math.Sincos.
const trigExact = false
