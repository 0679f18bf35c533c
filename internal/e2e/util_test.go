package e2e

import (
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// eval2string writes a JSON-decoded number the way JavaScript's String(v)
// does for the values presets use (Go's shortest 'g' form, without Go's
// exponent padding).
func eval2string(v any) string {
	f, ok := v.(float64)
	if !ok {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
