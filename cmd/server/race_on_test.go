//go:build race

package main

// raceEnabled: the race detector multiplies memory and slows computing
// several times, so the load test's memory bound means nothing under it.
const raceEnabled = true
