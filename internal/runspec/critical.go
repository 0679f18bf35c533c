package runspec

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
)

// criticalCacheLen bounds the cached critical-point sets of custom
// expressions. A slider drag asks for the same expression hundreds of times;
// a few dozen entries cover every user editing at once on a small server.
const criticalCacheLen = 64

// criticalCache remembers the critical points of custom expressions by
// expression and domain, because FindCritical costs tens of milliseconds and
// a run only needs them to name the point it reached.
type criticalCache struct {
	mu    sync.Mutex
	order []string // oldest first
	m     map[string][]landscape.CriticalPoint
}

func newCriticalCache() *criticalCache {
	return &criticalCache{m: make(map[string][]landscape.CriticalPoint)}
}

func criticalKey(src string, d landscape.Domain) string {
	b := []byte(src)
	for _, v := range [4]float64{d.XMin, d.XMax, d.YMin, d.YMax} {
		b = append(b, 0)
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return string(b)
}

// get returns the critical points of fn (compiled from src) in d, searching
// within timeout when they are not cached. A search cut short by the
// timeout or by ctx returns its error and is not cached.
func (c *criticalCache) get(ctx context.Context, timeout time.Duration, src string, fn landscape.Function, d landscape.Domain) ([]landscape.CriticalPoint, error) {
	key := criticalKey(src, d)
	c.mu.Lock()
	crit, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return crit, nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	crit, err := landscape.FindCritical(ctx, fn, d)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &Error{Field: "expr", Msg: "expr: finding the critical points took longer than " + timeout.String(), Pos: -1, TooCostly: true}
		}
		return nil, err
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
