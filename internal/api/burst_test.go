package api

import (
	"bytes"
	"net"
	"testing"
)

// countingConn records each write it receives.
type countingConn struct {
	net.Conn
	writes [][]byte
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, bytes.Clone(p))
	return len(p), nil
}

func TestBurstConn(t *testing.T) {
	under := &countingConn{}
	c := &burstConn{Conn: under}
	c.Write([]byte("a")) // outside a burst: straight through
	c.begin()
	c.Write([]byte("b"))
	c.Write([]byte("cd"))
	if len(under.writes) != 1 {
		t.Fatalf("%d writes during a burst, want them held", len(under.writes)-1)
	}
	if err := c.end(); err != nil {
		t.Fatal(err)
	}
	if len(under.writes) != 2 || string(under.writes[1]) != "bcd" {
		t.Fatalf("writes %q, want [a bcd]", under.writes)
	}
	c.end() // an empty burst writes nothing
	if len(under.writes) != 2 {
		t.Errorf("empty burst wrote %q", under.writes[2:])
	}
	// A burst larger than burstFlushBytes is written as it fills.
	c.begin()
	big := make([]byte, burstFlushBytes/2+1)
	c.Write(big)
	c.Write(big)
	c.Write([]byte("z"))
	c.end()
	if len(under.writes) != 4 || len(under.writes[2]) != 2*len(big) || string(under.writes[3]) != "z" {
		t.Errorf("large burst written as %d writes", len(under.writes)-2)
	}
}
