package data

import (
	"embed"
	"strconv"
	"strings"
)

// The real datasets live in real/ as CSV, each with its source and licence
// in real/SOURCES.md.
//
//go:embed real/*.csv
var realFiles embed.FS

// RealInfo describes an embedded real dataset.
type RealInfo struct {
	Name    string
	Task    Task
	Doc     string
	Source  string // where the rows come from
	Licence string
	file    string
}

var realSets = []RealInfo{
	{Name: "penguins", Task: Classification, file: "real/penguins.csv",
		Doc: "Palmer penguins: bill length and bill depth (mm) of 151 Adelie (label 0) and 68 Chinstrap (label 1) penguins. " +
			"Bill length almost separates the species, bill depth does not: the classes overlap a little, so logistic regression has a minimum.",
		Source:  "Gorman, Williams and Fraser (2014), Palmer Station Antarctica LTER, via the palmerpenguins R package (Horst, Hill and Gorman 2020); rows with a missing bill measurement dropped",
		Licence: "CC0 1.0"},
	{Name: "faithful", Task: Regression, file: "real/faithful.csv",
		Doc: "Old Faithful geyser: the waiting time to an eruption (minutes) against the eruption's duration (minutes), 272 eruptions. " +
			"The waiting times lie around 70, far from 0, so unscaled the loss over (w, b) is a long narrow valley; standardized it is a round bowl.",
		Source:  "Härdle (1991) and Azzalini and Bowman (1990), via R's datasets package (faithful) as Debian's r-base-core ships it",
		Licence: "measurements (facts) from the published sources; R's datasets package is part of R (GPL-2 | GPL-3)"},
}

// Reals describes every embedded real dataset (a copy).
func Reals() []RealInfo { return append([]RealInfo(nil), realSets...) }

// Real loads the embedded dataset name.
func Real(name string) (*Set, error) {
	for _, r := range realSets {
		if r.Name == name {
			b, err := realFiles.ReadFile(r.file)
			if err != nil {
				return nil, err
			}
			return ParseCSV(string(b))
		}
	}
	return nil, unknownDataset(name)
}

// IsReal reports whether name is an embedded dataset's.
func IsReal(name string) bool {
	for _, r := range realSets {
		if r.Name == name {
			return true
		}
	}
	return false
}

func unknownDataset(name string) error {
	var names []string
	for _, g := range generators {
		names = append(names, g.info.Name)
	}
	for _, r := range realSets {
		names = append(names, r.Name)
	}
	return &FieldError{Field: "name", Msg: "name: unknown dataset " + strconv.Quote(name) + " (known: " + strings.Join(names, ", ") + ")"}
}
