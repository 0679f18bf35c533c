package runspec

import (
	"math"
	"strconv"
)

// AppendNumber appends v the way JavaScript's String(v) writes it: the
// shortest decimal that round-trips a float64, in plain notation for
// 1e-7 < |v| < 1e21 and as d.ddde±x otherwise. Go's 'g' format picks the
// exponent form differently (1e-07, 1.234567e+06), so using this one rule on
// both sides makes a permalink written by the page and by the server the
// same string, and a valid JSON number. v must be finite; a non-finite v
// (which the engine never produces) is written as 0 rather than breaking the
// document.
func AppendNumber(b []byte, v float64) []byte {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, '0') // JavaScript writes -0 as "0" too
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], v, 'e', -1, 64) // -d.ddddde±xx
	if e[0] == '-' {
		b = append(b, '-')
		e = e[1:]
	}
	var digits [24]byte
	k := 0
	i := 0
	for ; e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[k] = e[i]
			k++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	n := exp + 1 // the decimal point sits after n digits
	d := digits[:k]
	switch {
	case k <= n && n <= 21:
		b = append(b, d...)
		for j := k; j < n; j++ {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(b, d[:n]...)
		b = append(b, '.')
		b = append(b, d[n:]...)
	case -6 < n && n <= 0:
		b = append(b, '0', '.')
		for j := 0; j < -n; j++ {
			b = append(b, '0')
		}
		b = append(b, d...)
	default:
		b = append(b, d[0])
		if k > 1 {
			b = append(b, '.')
			b = append(b, d[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return b
}

// FormatNumber is AppendNumber to a string.
func FormatNumber(v float64) string { return string(AppendNumber(nil, v)) }
