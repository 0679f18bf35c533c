package runspec

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/basin-dev/basin/internal/landscape"
)

// criticalCacheLen bounds the cached critical-point sets of custom
// expressions. A slider drag asks for the same expression hundreds of times;
// a few dozen entries cover every user editing at once on a small server.
const criticalCacheLen = 64

// criticalCache remembers the critical points of custom expressions by
// canonical form and box, because the search costs tens of milliseconds
// and a run only needs them to name the point it reached. The search is
// bounded by its evaluations (landscape.CriticalMaxEvaluations), not by a
// clock, so its result depends only on the expression and the box, and a
// finished search is always cached.
type criticalCache struct {
	mu    sync.Mutex
	order []string // oldest first
	m     map[string]landscape.CriticalSet
}

func newCriticalCache() *criticalCache {
	return &criticalCache{m: make(map[string]landscape.CriticalSet)}
}

// criticalKey is the cache key of fn in d: its canonical form (a compiled
// expression prints it), so that spellings of one expression share an
// entry, and the box.
func criticalKey(src string, fn landscape.Function, d landscape.Domain) string {
	if s, ok := fn.(fmt.Stringer); ok {
		src = s.String()
	}
	b := []byte(src)
	for _, v := range [4]float64{d.XMin, d.XMax, d.YMin, d.YMax} {
		b = append(b, 0)
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return string(b)
}

// get returns what the critical search finds for fn (compiled from src) in d, searching
// when they are not cached, after admit (when not nil) has admitted the
// search. A search cut short by ctx returns its error and is not cached.
func (c *criticalCache) get(ctx context.Context, admit Admit, src string, fn landscape.Function, d landscape.Domain) (landscape.CriticalSet, error) {
	key := criticalKey(src, fn, d)
	c.mu.Lock()
	crit, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return crit, nil
	}
	if admit != nil {
		release, err := admit(ctx, fn)
		if err != nil {
			return landscape.CriticalSet{}, err
		}
		defer release()
	}
	crit, err := landscape.SearchCritical(ctx, fn, d)
	if err != nil {
		return landscape.CriticalSet{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok {
		if len(c.order) == criticalCacheLen {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, key)
		c.m[key] = crit
	}
	return crit, nil
}
