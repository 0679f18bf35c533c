// Package bytebudget bounds the memory held for clients: request bodies
// being read and results computed but not yet written. Each reservation
// counts against one server-wide budget and against its client's share of
// it, so clients that never read their answers make the server refuse new
// work instead of growing until the machine runs out of memory, and one
// client cannot take the whole budget from the others.
package bytebudget

import (
	"fmt"
	"sync"
)

// FullError refuses a reservation the budget cannot hold. The API answers
// it with 429 and Retry-After: the bytes come back as answers are written.
type FullError struct {
	// Asked is the size refused.
	Asked int64
	// Share is true when the client's share was the limit, false when the
	// whole budget was.
	Share bool
	// Limit is the limit that refused it, in bytes.
	Limit int64
}

func (e *FullError) Error() string {
	what := "the server's memory for answers waiting to be written"
	if e.Share {
		what = "this client's share of the memory for answers waiting to be written"
	}
	return fmt.Sprintf("the server is busy: %s (%s) is in use; try again once earlier answers have been read", what, Size(e.Limit))
}

// Budget is a byte budget shared by clients, safe for concurrent use.
type Budget struct {
	limit, share int64

	mu       sync.Mutex
	used     int64
	byClient map[string]int64
}

// New makes a budget of limit bytes of which one client may hold share;
// share <= 0 means half of limit.
func New(limit, share int64) *Budget {
	limit = max(1, limit)
	if share <= 0 {
		share = max(1, limit/2)
	}
	return &Budget{limit: limit, share: min(share, limit), byClient: make(map[string]int64)}
}

// Limit is the whole budget in bytes.
func (b *Budget) Limit() int64 { return b.limit }

// Share is what one client may hold in bytes.
func (b *Budget) Share() int64 { return b.share }

// Reserve takes n bytes for client or refuses at once with a *FullError; it
// never waits, since the bytes it waits for belong to clients that may
// never read. release gives them back; later calls do nothing.
func (b *Budget) Reserve(client string, n int64) (release func(), err error) {
	n = max(0, n)
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.byClient[client]+n > b.share:
		return nil, &FullError{Asked: n, Share: true, Limit: b.share}
	case b.used+n > b.limit:
		return nil, &FullError{Asked: n, Limit: b.limit}
	}
	b.used += n
	b.byClient[client] += n
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.used -= n
			if b.byClient[client] -= n; b.byClient[client] <= 0 {
				delete(b.byClient, client)
			}
		})
	}, nil
}

// Used returns the bytes reserved, in all and by client.
func (b *Budget) Used(client string) (all, byClient int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, b.byClient[client]
}

// Size writes n bytes for people: "3.8 MB", "64 KB", "512 B".
func Size(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.0f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
