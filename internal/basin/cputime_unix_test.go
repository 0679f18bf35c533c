//go:build unix

package basin

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used, user and system.
// The NumPy benchmark reports it beside wall time because the development
// machine's two cores are shared: under load wall time swings by 2-3x
// while the CPU time a map needs moves much less.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
