package api

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRangesCapped: a Range header of a few ranges gets them; one of many
// tiny ranges gets the whole file once instead of a response many times
// the file's size.
func TestRangesCapped(t *testing.T) {
	_, srv := newServer(t, Config{})
	whole := len(testPage["index.html"].Data)
	for _, tc := range []struct {
		ranges     int
		wantStatus int
	}{
		{1, http.StatusPartialContent},
		{RangesLimit, http.StatusPartialContent},
		{RangesLimit + 1, http.StatusOK},
		{2000, http.StatusOK},
	} {
		parts := make([]string, tc.ranges)
		for i := range parts {
			parts[i] = fmt.Sprintf("%d-%d", i%whole, i%whole)
		}
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		req.Header.Set("Range", "bytes="+strings.Join(parts, ","))
		res, body := do(t, req)
		if res.StatusCode != tc.wantStatus {
			t.Errorf("%d ranges: status %d, want %d", tc.ranges, res.StatusCode, tc.wantStatus)
		}
		if tc.wantStatus == http.StatusOK && len(body) != whole {
			t.Errorf("%d ranges: %d bytes, want the whole file's %d", tc.ranges, len(body), whole)
		}
	}
}

// TestKeptAliveConnectionAfterIdle: a second request on a kept-alive
// connection, after longer than the write deadline, is answered, a 304
// without a body included (its headers are written after the handler
// returns, so an earlier request's deadline must not still hold).
func TestKeptAliveConnectionAfterIdle(t *testing.T) {
	h, srv := newServer(t, Config{})
	h.timing.writeWait = 50 * time.Millisecond
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	res, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	for range 2 {
		time.Sleep(4 * h.timing.writeWait)
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		req.Header.Set("If-None-Match", etag)
		res, err := c.Do(req)
		if err != nil {
			t.Fatalf("after idling: %v", err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotModified {
			t.Fatalf("after idling: %d, want 304", res.StatusCode)
		}
	}
}
