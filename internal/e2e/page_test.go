package e2e

import "testing"

func TestPageRenders(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("")
	tb.shot("default")
	tb.checkClean()
}
