package api

import (
	"net/http"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/basin-dev/basin/internal/train"
)

// DatasetPreviewRows bounds the rows of a dataset's preview: every default
// generated set (200 rows at most) and both real sets (under 300) are shown
// whole, so the page can draw them before anything is trained.
const DatasetPreviewRows = 300

// datasetsJSON is the answer of GET /api/v1/datasets.
type datasetsJSON struct {
	Generators []generatorJSON `json:"generators"`
	Real       []realJSON      `json:"real"`
	Models     modelsJSON      `json:"models"`
	Limits     trainLimitsJSON `json:"limits"`
}

type generatorJSON struct {
	Name         string         `json:"name"`
	Task         string         `json:"task"`
	Doc          string         `json:"doc"`
	DefaultN     int            `json:"default_n"`
	DefaultNoise jsNumber       `json:"default_noise"`
	Params       []genParamJSON `json:"params"`
	Columns      []string       `json:"columns"`
	// Preview is the dataset with every default and seed 0.
	Preview [][]jsNumber `json:"preview"`
}

type genParamJSON struct {
	Name    string   `json:"name"`
	Default jsNumber `json:"default"`
	Min     jsNumber `json:"min"`
	Max     jsNumber `json:"max"`
	Doc     string   `json:"doc"`
}

type realJSON struct {
	Name    string       `json:"name"`
	Task    string       `json:"task"`
	Doc     string       `json:"doc"`
	Source  string       `json:"source"`
	Licence string       `json:"licence"`
	Rows    int          `json:"rows"`
	Columns []string     `json:"columns"`
	Preview [][]jsNumber `json:"preview"`
}

type modelsJSON struct {
	Kinds       []string `json:"kinds"`
	Activations []string `json:"activations"`
}

type trainLimitsJSON struct {
	MaxRows            int      `json:"max_rows"`
	MinRows            int      `json:"min_rows"`
	MinGenerated       int      `json:"min_generated"`
	MaxGenerated       int      `json:"max_generated"`
	MaxNoise           jsNumber `json:"max_noise"`
	MaxValidation      jsNumber `json:"max_validation"`
	MaxHiddenLayers    int      `json:"max_hidden_layers"`
	MinUnits           int      `json:"min_units"`
	MaxUnits           int      `json:"max_units"`
	MaxSteps           int      `json:"max_steps"`
	MaxEpochs          int      `json:"max_epochs"`
	MaxOptimizers      int      `json:"max_optimizers"`
	MaxRecorded        int      `json:"max_recorded"`
	MinGrid            int      `json:"min_grid"`
	MaxGrid            int      `json:"max_grid"`
	DefaultEpochs      int      `json:"default_epochs"`
	DefaultLR          jsNumber `json:"default_lr"`
	TrainBytes         int      `json:"train_bytes"`
	PermalinkDataLimit int      `json:"permalink_data"`
}

// listDatasets describes every generator and real dataset, each with a
// preview of its rows, the model kinds and every training limit: what the
// page needs to build its controls and say the ranges.
func (h *Handler) listDatasets(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	out := datasetsJSON{
		Models: modelsJSON{Kinds: []string{model.Linear, model.Logistic, model.MLP}, Activations: []string{model.Tanh, model.ReLU, model.Sigmoid}},
		Limits: trainLimitsJSON{
			MaxRows: data.MaxRows, MinRows: data.MinRows, MinGenerated: data.MinGenerated, MaxGenerated: data.MaxGenerated,
			MaxNoise: data.MaxNoise, MaxValidation: data.MaxValidation,
			MaxHiddenLayers: model.MaxHiddenLayers, MinUnits: model.MinUnits, MaxUnits: model.MaxUnits,
			MaxSteps: train.MaxSteps, MaxEpochs: train.MaxEpochs, MaxOptimizers: train.MaxOptimizers, MaxRecorded: train.MaxRecorded,
			MinGrid: train.MinGrid, MaxGrid: train.MaxGrid, DefaultEpochs: train.DefaultEpochs, DefaultLR: train.DefaultLR,
			TrainBytes: runspec.TrainBytesLimit, PermalinkDataLimit: runspec.PermalinkDataLimit,
		},
	}
	for _, g := range data.Generators() {
		set, err := data.Generate(data.Generated{Name: g.Name})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		gj := generatorJSON{Name: g.Name, Task: g.Task.String(), Doc: g.Doc, DefaultN: g.DefaultN, DefaultNoise: jsNumber(g.DefaultNoise),
			Params: []genParamJSON{}, Columns: set.Columns, Preview: preview(set)}
		for _, p := range g.Params {
			gj.Params = append(gj.Params, genParamJSON{Name: p.Name, Default: jsNumber(p.Default), Min: jsNumber(p.Min), Max: jsNumber(p.Max), Doc: p.Doc})
		}
		out.Generators = append(out.Generators, gj)
	}
	for _, ri := range data.Reals() {
		set, err := data.Real(ri.Name)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Real = append(out.Real, realJSON{Name: ri.Name, Task: ri.Task.String(), Doc: ri.Doc, Source: ri.Source, Licence: ri.Licence,
			Rows: set.Rows(), Columns: set.Columns, Preview: preview(set)})
	}
	h.answerJSON(w, r, out)
}

// preview is up to DatasetPreviewRows rows of s as [features..., target].
func preview(s *data.Set) [][]jsNumber {
	n := min(s.Rows(), DatasetPreviewRows)
	out := make([][]jsNumber, n)
	for i := range n {
		out[i] = append(jsNumbers(s.Row(i)...), jsNumber(s.Y[i]))
	}
	return out
}
