package data

import (
	"math"
	"strconv"
)

// FromPoints builds a dataset from given rows: [x, y] (regression) or
// [x1, x2, label] (classification, labels 0 or 1); every row must have the
// first row's length. Errors are *FieldError naming the row as
// "points[i]" or the value as "points[i][j]" (0-based, as in the JSON
// array).
func FromPoints(points [][]float64) (*Set, error) {
	if len(points) < MinRows || len(points) > MaxRows {
		return nil, fieldErrorf("points", "must have %d to %d rows, got %d", MinRows, MaxRows, len(points))
	}
	cols := len(points[0])
	var s *Set
	switch cols {
	case 2:
		s = regression(len(points))
	case 3:
		s = classification(len(points))
	default:
		return nil, fieldErrorf("points[0]", "must have 2 values [x, y] (regression) or 3 [x1, x2, label] (classification), got %d", cols)
	}
	for i, row := range points {
		name := "points[" + strconv.Itoa(i) + "]"
		if len(row) != cols {
			return nil, fieldErrorf(name, "must have %d values as points[0] has, got %d", cols, len(row))
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fieldErrorf(name+"["+strconv.Itoa(j)+"]", "must be a finite number, got %g", v)
			}
		}
		if cols == 3 && row[2] != 0 && row[2] != 1 {
			return nil, fieldErrorf(name+"[2]", "is a label and must be 0 or 1, got %g", row[2])
		}
		s.X = append(s.X, row[:cols-1]...)
		s.Y = append(s.Y, row[cols-1])
	}
	return s, nil
}
