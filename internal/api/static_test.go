package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
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
