package data

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		task    Task
		x, y    []float64
		columns []string
	}{
		{"regression with header", "x,y\n1,2\n3,4\n", Regression, []float64{1, 3}, []float64{2, 4}, []string{"x", "y"}},
		{"classification no header", "0.5, 1, 0\n-1,2,1\n", Classification, []float64{0.5, 1, -1, 2}, []float64{0, 1}, []string{"x1", "x2", "label"}},
		{"blank lines and CRLF", "a,b\r\n\r\n1,2\r\n3,4\r\n\r\n", Regression, []float64{1, 3}, []float64{2, 4}, []string{"a", "b"}},
		{"exponents and quotes", "\"1e-3\",\"2\"\n-4E2,5\n", Regression, []float64{1e-3, -400}, []float64{2, 5}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseCSV(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if s.Task != tt.task || !equal(s.X, tt.x) || !equal(s.Y, tt.y) {
				t.Fatalf("got %v %v %v, want %v %v %v", s.Task, s.X, s.Y, tt.task, tt.x, tt.y)
			}
			if tt.columns != nil && strings.Join(s.Columns, ",") != strings.Join(tt.columns, ",") {
				t.Errorf("columns %v, want %v", s.Columns, tt.columns)
			}
		})
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name, text string
		row, col   int
		want       string
	}{
		{"not a number", "x,y\n1,2\n3,abc\n", 3, 2, `row 3, column 2: "abc" is not a number`},
		{"NaN", "1,2\nNaN,4\n", 2, 1, `row 2, column 1: "NaN" is not a finite number`},
		{"Inf", "1,2\n3,-Inf\n", 2, 2, `row 2, column 2: "-Inf" is not a finite number`},
		{"overflow", "1,2\n3,1e999\n", 2, 2, `row 2, column 2: "1e999" is out of range`},
		{"label", "1,2,0\n3,4,2\n", 2, 3, "row 2, column 3: label must be 0 or 1, got 2"},
		{"column count", "1,2,1\n3,4\n", 2, 0, "row 2: found 2 columns, want 3 as in the first row"},
		{"four columns", "a,b,c,d\n1,2,3,4\n", 1, 0, "row 1: found 4 columns, want 2 (x, y: regression) or 3 (x1, x2, label: classification)"},
		{"one column", "1\n2\n", 1, 0, "row 1: found 1 columns"},
		{"too few rows", "x,y\n1,2\n", 0, 0, "found 1 data rows, want at least 2"},
		{"empty", "", 0, 0, "found 0 data rows"},
		{"bad quote", "1,2\n3,\"4\n", 2, 0, "row 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV(tt.text)
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a *RowError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want %q", err, tt.want)
			}
			if tt.row != 0 && re.Row != tt.row {
				t.Errorf("row %d, want %d", re.Row, tt.row)
			}
			if tt.col != 0 && re.Column != tt.col {
				t.Errorf("column %d, want %d", re.Column, tt.col)
			}
		})
	}
}

func TestParseCSVRowLimit(t *testing.T) {
	var b strings.Builder
	for i := range MaxRows {
		b.WriteString(strconv.Itoa(i) + ",1\n")
	}
	if s, err := ParseCSV(b.String()); err != nil || s.Rows() != MaxRows {
		t.Fatalf("MaxRows rows: %v", err)
	}
	b.WriteString("1,2\n")
	_, err := ParseCSV(b.String())
	if err == nil || !strings.Contains(err.Error(), "more than 10000 data rows") {
		t.Fatalf("MaxRows+1 rows: %v", err)
	}
}

// FuzzParseCSV: the parser never panics; what it accepts is finite, within
// the limits, and prints back to text that parses to the same values.
func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{"x,y\n1,2\n3,4\n", "1,2,0\n3,4,1\n", "a,b,c\n1,2,3\n", "1,\"2\n", "1,2\nnan,3\n", "\n\n1,2\n3,4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseCSV(text)
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RowError", err)
			}
			return
		}
		if s.Rows() < MinRows || s.Rows() > MaxRows || len(s.X) != s.Rows()*s.Features() {
			t.Fatalf("%d rows, %d features", s.Rows(), len(s.X))
		}
		var b strings.Builder
		for i := range s.Rows() {
			for _, v := range s.Row(i) {
				b.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + ",")
			}
			v := s.Y[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("row %d: %v", i, v)
			}
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + "\n")
		}
		s2, err := ParseCSV(b.String())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", b.String(), err)
		}
		if s2.Task != s.Task || !equal(s2.X, s.X) || !equal(s2.Y, s.Y) {
			t.Fatalf("re-parse differs")
		}
	})
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
