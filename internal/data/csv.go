package data

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
)

// RowError is a problem in one row (and column) of CSV text. Row counts
// the text's lines from 1, the header included, so it is the line an editor
// shows; Column counts from 1, and 0 means the row as a whole.
type RowError struct {
	Row, Column int
	Msg         string
}

func (e *RowError) Error() string {
	if e.Column == 0 {
		return "row " + strconv.Itoa(e.Row) + ": " + e.Msg
	}
	return "row " + strconv.Itoa(e.Row) + ", column " + strconv.Itoa(e.Column) + ": " + e.Msg
}

// ParseCSV reads comma-separated text with two numeric columns (x, y:
// regression) or three (x1, x2, label with labels 0 or 1:
// classification), at most MaxRows data rows and at least MinRows. A first
// line that is not all numbers is a header and names the columns. Blank
// lines are skipped; every data row must have the first row's column count.
// NaN and infinities are refused with their row. Errors are *RowError.
func ParseCSV(text string) (*Set, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1 // counted here, to name the row in the message
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	var s *Set
	cols := 0
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &RowError{Row: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
			}
			return nil, &RowError{Msg: err.Error()}
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			cols = len(rec)
			if cols != 2 && cols != 3 {
				return nil, &RowError{Row: line, Msg: "found " + strconv.Itoa(cols) + " columns, want 2 (x, y: regression) or 3 (x1, x2, label: classification)"}
			}
			if cols == 3 {
				s = classification(0)
			} else {
				s = regression(0)
			}
			if isHeader(rec) {
				s.Columns = make([]string, cols)
				for i, name := range rec {
					s.Columns[i] = strings.TrimSpace(name)
				}
				continue
			}
		}
		if len(rec) != cols {
			return nil, &RowError{Row: line, Msg: "found " + strconv.Itoa(len(rec)) + " columns, want " + strconv.Itoa(cols) + " as in the first row"}
		}
		if s.Rows() == MaxRows {
			return nil, &RowError{Row: line, Msg: "more than " + strconv.Itoa(MaxRows) + " data rows"}
		}
		var vals [3]float64
		for i, field := range rec {
			v, err := parseNumber(field)
			if err != nil {
				return nil, &RowError{Row: line, Column: i + 1, Msg: err.Error()}
			}
			vals[i] = v
		}
		if cols == 3 && vals[2] != 0 && vals[2] != 1 {
			return nil, &RowError{Row: line, Column: 3, Msg: "label must be 0 or 1, got " + strconv.FormatFloat(vals[2], 'g', -1, 64)}
		}
		s.X = append(s.X, vals[:cols-1]...)
		s.Y = append(s.Y, vals[cols-1])
	}
	if s == nil || s.Rows() < MinRows {
		n := 0
		if s != nil {
			n = s.Rows()
		}
		return nil, &RowError{Msg: "found " + strconv.Itoa(n) + " data rows, want at least " + strconv.Itoa(MinRows)}
	}
	return s, nil
}

// parseNumber reads one finite number, allowing spaces around it.
func parseNumber(field string) (float64, error) {
	t := strings.TrimSpace(field)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, errors.New(strconv.Quote(t) + " is out of range")
		}
		return 0, errors.New(strconv.Quote(t) + " is not a number")
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New(strconv.Quote(t) + " is not a finite number")
	}
	return v, nil
}

// isHeader reports whether a first row is a header: some field is not a
// number at all (a field like "abc" in a row that is otherwise numbers is
// still a header only on the first row).
func isHeader(rec []string) bool {
	for _, f := range rec {
		if _, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				continue
			}
			return true
		}
	}
	return false
}
