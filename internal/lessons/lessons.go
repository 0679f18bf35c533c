// Package lessons holds Basin's guided examples: short, ready-made runs that
// each teach one thing about optimization (the learning rate, the start
// point, momentum, adaptive methods, gradient noise), written as permalink
// queries with a sentence of explanation in English and Japanese.
//
// Every example carries a Story: what its runs do, in a form a test checks
// by running the query exactly as the server does. An example is only worth
// showing if the story it tells really happens at its settings, and keeps
// happening when the settings are nudged; lessons_test.go checks both.
//
// The package is data and knows nothing of HTTP; the API is what hands
// the list to the page. docs/LESSONS.md lists the examples.
package lessons

import "github.com/basin-dev/basin/internal/optim"

// Languages are the keys of every Title and Text map, in display order. The
// page's language switch offers the same two.
var Languages = []string{"en", "ja"}

// Example is one guided example: a permalink and what it shows.
type Example struct {
	// ID is a stable identifier, usable in a URL or as an element id.
	ID string
	// Title is a short heading per language ("en", "ja").
	Title map[string]string
	// Text explains what the runs do and why, per language: a few
	// sentences, plain text, no markup.
	Text map[string]string
	// Query is the permalink query (version 1, docs/DESIGN.md), without
	// the leading "?", in the canonical form runspec.EncodeQuery writes, so
	// the page's address bar shows exactly this after loading it.
	Query string
	// Story is what the runs of Query do, checked by the tests.
	Story Story
}

// Story is what an example's runs do, one Expect per optimizer of the query
// in order, plus an optional contrast: the same example with one setting
// changed, which tells the other half of the lesson.
type Story struct {
	Runs     []Expect
	Contrast *Contrast
}

// Contrast is a variant of an example that differs only in the query
// parameters named in Changed ("start", "noise", ...). The page can offer it
// as a second link ("now try ..."); the tests check that it really differs
// only there and that its runs do what Runs says.
type Contrast struct {
	Query   string
	Changed []string
	// Text is one sentence per language: what to change and what then
	// happens.
	Text map[string]string
	Runs []Expect
}

// Reach names which minimum a converged run must end in.
type Reach int

const (
	// AnyEnd does not check where the run ended.
	AnyEnd Reach = iota
	// Global requires a converged run that reached a global minimum.
	Global
	// Local requires a converged run that reached a minimum that is not
	// global.
	Local
)

func (r Reach) String() string {
	switch r {
	case Global:
		return "global minimum"
	case Local:
		return "local minimum"
	}
	return "anywhere"
}

// Expect is what one optimizer's run must do.
type Expect struct {
	// Status is how the run must end.
	Status optim.Status
	// Reach is checked for converged runs.
	Reach Reach
	// Within, when positive, bounds Outcome.Step: the step at which a
	// converged run settled or a diverged one blew up. It backs a step
	// count the text quotes, so it holds at the example's exact settings;
	// the rest of the story must also hold at nearby ones.
	Within int
	// LossAbove and LossBelow, when non-zero, bound the loss at the run's
	// last point from below and above: "still far from the minimum" for a
	// run that crawls, "close to it" for one that hovers without settling.
	LossAbove, LossBelow float64
}

// All returns the guided examples in the order the page lists them. The
// result is the caller's to keep; it shares no maps with later calls.
func All() []Example {
	return examples()
}

// Lookup finds an example by ID.
func Lookup(id string) (Example, bool) {
	for _, e := range examples() {
		if e.ID == id {
			return e, true
		}
	}
	return Example{}, false
}
