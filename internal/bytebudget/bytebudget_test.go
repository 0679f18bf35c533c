package bytebudget

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestReserve(t *testing.T) {
	b := New(100, 0)
	if b.Share() != 50 {
		t.Fatalf("default share = %d, want half of 100", b.Share())
	}
	a1, err := b.Reserve("a", 30)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Reserve("a", 21)
	var full *FullError
	if !errors.As(err, &full) || !full.Share || full.Limit != 50 || full.Asked != 21 {
		t.Fatalf("over a's share: %v (%+v)", err, full)
	}
	a2, err := b.Reserve("a", 20)
	if err != nil {
		t.Fatalf("up to the share: %v", err)
	}
	c1, err := b.Reserve("c", 50)
	if err != nil {
		t.Fatalf("another client's share: %v", err)
	}
	if _, err := b.Reserve("d", 1); !errors.As(err, &full) || full.Share || full.Limit != 100 {
		t.Fatalf("over the whole budget: %v", err)
	}
	if all, mine := b.Used("a"); all != 100 || mine != 50 {
		t.Fatalf("Used = %d, %d", all, mine)
	}
	a1()
	a1() // a second call does nothing
	if all, mine := b.Used("a"); all != 70 || mine != 20 {
		t.Fatalf("after one release: Used = %d, %d", all, mine)
	}
	a2()
	c1()
	if all, _ := b.Used(""); all != 0 || len(b.byClient) != 0 {
		t.Fatalf("after releasing all: used %d, %d clients remembered", all, len(b.byClient))
	}
	if _, err := b.Reserve("a", 0); err != nil {
		t.Errorf("an empty reservation: %v", err)
	}
}

func TestReserveConcurrent(t *testing.T) {
	b := New(1000, 300)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for range 500 {
				rel, err := b.Reserve(fmt.Sprint(g%4), 40)
				if err != nil {
					continue
				}
				if all, mine := b.Used(fmt.Sprint(g % 4)); all > 1000 || mine > 300 {
					t.Errorf("used %d, client %d", all, mine)
				}
				rel()
			}
		})
	}
	wg.Wait()
	if all, _ := b.Used(""); all != 0 {
		t.Errorf("%d bytes leaked", all)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{512: "512 B", 64_000: "64 KB", 3_841_000: "3.8 MB", 2_100_000_000: "2.1 GB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
