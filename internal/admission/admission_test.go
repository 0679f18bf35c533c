package admission

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func mustAcquire(t *testing.T, p *Pool, id string) func() {
	t.Helper()
	rel, err := p.Acquire(context.Background(), id)
	if err != nil {
		t.Fatalf("Acquire(%s): %v", id, err)
	}
	return rel
}

// grant is one waiting Acquire, started in its own goroutine.
type grant struct {
	id  string
	rel func()
	err error
	got chan struct{}
}

func start(ctx context.Context, p *Pool, id string) *grant {
	g := &grant{id: id, got: make(chan struct{})}
	go func() {
		g.rel, g.err = p.Acquire(ctx, id)
		close(g.got)
	}()
	return g
}

func (g *grant) done() bool {
	select {
	case <-g.got:
		return true
	default:
		return false
	}
}

func TestShareDefaultsToHalf(t *testing.T) {
	for _, tc := range []struct{ slots, per int }{{1, 1}, {2, 1}, {3, 2}, {16, 8}, {4, 2}} {
		if got := New(Config{Slots: tc.slots}).Config().PerClient; got != tc.per {
			t.Errorf("Slots %d: PerClient = %d, want %d", tc.slots, got, tc.per)
		}
	}
	if got := New(Config{Slots: 2, PerClient: 5}).Config().PerClient; got != 2 {
		t.Errorf("PerClient above Slots = %d, want 2", got)
	}
}

func TestNoClientHoldsMoreThanItsShare(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := New(Config{Slots: 4})
		a1, a2 := mustAcquire(t, p, "a"), mustAcquire(t, p, "a")
		third := start(context.Background(), p, "a")
		synctest.Wait()
		if third.done() {
			t.Fatal("a third slot went to a client whose share is 2 of 4")
		}
		// The other client is not held back by a's queue.
		b1, b2 := mustAcquire(t, p, "b"), mustAcquire(t, p, "b")
		a1()
		synctest.Wait()
		if !third.done() || third.err != nil {
			t.Fatalf("a's waiting work did not get the slot a freed: done %v err %v", third.done(), third.err)
		}
		a1() // a second call does nothing
		if s := p.Stats(); s.Free != 0 || s.Held["a"] != 2 || s.Held["b"] != 2 {
			t.Fatalf("stats %+v, want a and b holding 2 each", s)
		}
		for _, rel := range []func(){a2, third.rel, b1, b2} {
			rel()
		}
		if s := p.Stats(); s.Free != 4 || len(s.Held) != 0 || len(p.clients) != 0 {
			t.Fatalf("after releasing everything: %+v, %d clients remembered", s, len(p.clients))
		}
	})
}

// TestRoundRobin checks that waiting work is served one client at a time,
// not in order of arrival: a client that queued ten jobs first does not
// make the others wait for all ten.
func TestRoundRobin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := New(Config{Slots: 2, PerClient: 2, MaxWait: time.Hour})
		held := []func(){mustAcquire(t, p, "flood"), mustAcquire(t, p, "flood")}
		var waiting []*grant
		for range 4 {
			waiting = append(waiting, start(context.Background(), p, "flood"))
			synctest.Wait() // queue in a known order
		}
		for _, id := range []string{"b", "c"} {
			waiting = append(waiting, start(context.Background(), p, id))
			synctest.Wait()
		}
		var order []string
		for len(order) < len(waiting) {
			held[0]()
			held = held[1:]
			synctest.Wait()
			n := 0
			for _, g := range waiting {
				if g.done() && g.rel != nil {
					order = append(order, g.id)
					held = append(held, g.rel)
					g.rel = nil
					n++
				}
			}
			if n != 1 {
				t.Fatalf("one release granted %d waiting jobs", n)
			}
		}
		want := fmt.Sprint([]string{"flood", "b", "c", "flood", "flood", "flood"})
		if got := fmt.Sprint(order); got != want {
			t.Errorf("grant order %s, want %s", got, want)
		}
		for _, rel := range held {
			rel()
		}
	})
}

func TestBusyAfterMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := New(Config{Name: "run slots", Slots: 1, MaxWait: 3 * time.Second, RetryAfter: 7 * time.Second})
		rel := mustAcquire(t, p, "a")
		t0 := time.Now()
		_, err := p.Acquire(context.Background(), "b")
		var busy *BusyError
		if !errors.As(err, &busy) || !IsBusy(err) {
			t.Fatalf("err = %v, want a BusyError", err)
		}
		if waited := time.Since(t0); waited != 3*time.Second || busy.Waited != 3*time.Second {
			t.Errorf("refused after %s (says %s), want 3s", waited, busy.Waited)
		}
		if busy.RetryAfter != 7*time.Second || busy.Pool != "run slots" {
			t.Errorf("busy = %+v", busy)
		}
		if s := p.Stats(); len(s.Waiting) != 0 {
			t.Errorf("refused work still waiting: %+v", s)
		}
		rel()
		if s := p.Stats(); s.Free != 1 {
			t.Errorf("free = %d after release, want 1", s.Free)
		}
	})
}

func TestCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := New(Config{Slots: 1})
		rel := mustAcquire(t, p, "a")
		ctx, cancel := context.WithCancel(context.Background())
		g := start(ctx, p, "b")
		other := start(context.Background(), p, "c")
		synctest.Wait()
		cancel()
		synctest.Wait()
		if !g.done() || !errors.Is(g.err, context.Canceled) {
			t.Fatalf("cancelled wait: done %v err %v", g.done(), g.err)
		}
		rel()
		synctest.Wait()
		if !other.done() || other.err != nil {
			t.Fatalf("the slot did not pass over the cancelled wait: %v", other.err)
		}
		other.rel()
		if _, err := p.Acquire(ctx, "d"); !errors.Is(err, context.Canceled) {
			t.Errorf("Acquire with an ended context = %v", err)
		}
	})
}

// TestCancelledWhileGranted hands a slot to work whose context ends at the
// same instant; whichever wins, the slot is not lost.
func TestCancelledWhileGranted(t *testing.T) {
	for range 50 {
		p := New(Config{Slots: 1})
		rel := mustAcquire(t, p, "a")
		ctx, cancel := context.WithCancel(context.Background())
		g := start(ctx, p, "b")
		for len(p.Stats().Waiting) == 0 {
			time.Sleep(time.Millisecond)
		}
		go cancel()
		rel()
		<-g.got
		if g.err == nil {
			g.rel()
		}
		if s := p.Stats(); s.Free != 1 || len(p.clients) != 0 {
			t.Fatalf("a slot went missing: %+v", s)
		}
	}
}

// TestConcurrentShares hammers a pool from many goroutines and checks the
// two promises at every grant: never more than Slots held, never more than
// PerClient by one client.
func TestConcurrentShares(t *testing.T) {
	p := New(Config{Slots: 5, PerClient: 2, MaxWait: time.Hour})
	var total atomic.Int32
	per := make([]atomic.Int32, 4)
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 200 {
				c := r.IntN(len(per))
				rel, err := p.Acquire(context.Background(), fmt.Sprint(c))
				if err != nil {
					t.Error(err)
					return
				}
				if n := total.Add(1); n > 5 {
					t.Errorf("%d slots held", n)
				}
				if n := per[c].Add(1); n > 2 {
					t.Errorf("client %d holds %d", c, n)
				}
				per[c].Add(-1)
				total.Add(-1)
				rel()
			}
		})
	}
	wg.Wait()
	if s := p.Stats(); s.Free != 5 || len(p.clients) != 0 {
		t.Errorf("after the storm: %+v", s)
	}
}
