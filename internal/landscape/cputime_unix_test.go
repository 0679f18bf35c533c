//go:build unix

package landscape_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used, user and system.
// Benchmarks report it beside wall time because the development machine's
// two cores are shared: under load wall time swings by 2-3x while the CPU
// time a search needs stays put.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
