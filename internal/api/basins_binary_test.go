package api

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// postAccept posts body to url with the given Accept header.
func postAccept(t *testing.T, url, body, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return do(t, req)
}

// decodeBasinBinary reads the binary REST answer by docs/API.md's layout,
// independently of the encoder: the JSON header, then grid row frames in
// order, each checked by decodeBasinRow.
func decodeBasinBinary(t *testing.T, b []byte) (head map[string]json.RawMessage, cells []basinCell) {
	t.Helper()
	le := binary.LittleEndian
	if len(b) < 8 || le.Uint32(b[4:]) != 0 {
		t.Fatalf("bad preamble % x", b[:min(8, len(b))])
	}
	l := int(le.Uint32(b))
	if (8+l)%8 != 0 || 8+l > len(b) {
		t.Fatalf("header length %d in an answer of %d bytes", l, len(b))
	}
	if err := json.Unmarshal(b[8:8+l], &head); err != nil {
		t.Fatalf("header: %v: %s", err, b[8:8+l])
	}
	var grid int
	if err := json.Unmarshal(head["grid"], &grid); err != nil {
		t.Fatal(err)
	}
	rest := b[8+l:]
	for j := range grid {
		if len(rest) < 16 {
			t.Fatalf("answer ends before row %d", j)
		}
		idLen, n := int(le.Uint16(rest[2:])), int(le.Uint32(rest[8:]))
		size := 16 + (idLen+7)/8*8 + (25*n+7)/8*8
		if size > len(rest) {
			t.Fatalf("row %d: frame of %d bytes, %d left", j, size, len(rest))
		}
		id, row := decodeBasinRow(t, rest[:size])
		if id != "" || row.row != j || row.done != j+1 || len(row.cells) != grid {
			t.Fatalf("frame %d: id %q, row %d, done %d, %d cells", j, id, row.row, row.done, len(row.cells))
		}
		cells = append(cells, row.cells...)
		rest = rest[size:]
	}
	if len(rest) != 0 {
		t.Fatalf("%d bytes after the last row", len(rest))
	}
	return head, cells
}

// TestBasinBinaryAnswerMatchesJSON checks that a client asking for
// application/octet-stream gets the same map as the JSON answer, the
// header and summary field by field and every cell bit for bit, on the
// fast Adam engine, the generic one (noise) and a map with diverged
// cells; and that other Accept headers keep JSON.
func TestBasinBinaryAnswerMatchesJSON(t *testing.T) {
	_, srv := newServer(t, Config{})
	specs := map[string]string{
		"adam-himmelblau":    `{"function":"himmelblau","steps":300,"optimizers":[{"name":"adam","lr":0.05}],"grid":17,"box":[-5,5,-5,5]}`,
		"momentum-noise":     `{"function":"double-well","steps":200,"noise":0.5,"seed":3,"optimizers":[{"name":"sgd","lr":0.05,"momentum":0.8}],"grid":9}`,
		"sgd-diverging":      `{"function":"rosenbrock","steps":100,"optimizers":[{"name":"sgd","lr":0.01}],"grid":11,"box":[-3,3,-2,4]}`,
		"adamw-steplr-grid2": `{"function":"booth","steps":50,"schedule":{"name":"steplr","step_size":10,"gamma":0.5},"optimizers":[{"name":"adamw","lr":0.1}],"grid":2}`,
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			jres, jbody := post(t, srv.URL+"/api/v1/basins", spec)
			bres, bbody := postAccept(t, srv.URL+"/api/v1/basins", spec, "application/json;q=0.5, application/octet-stream")
			if jres.StatusCode != 200 || bres.StatusCode != 200 {
				t.Fatalf("JSON %d, binary %d: %s", jres.StatusCode, bres.StatusCode, bbody)
			}
			if ct := bres.Header.Get("Content-Type"); ct != "application/octet-stream" {
				t.Fatalf("binary answer of type %q", ct)
			}
			var want map[string]json.RawMessage
			if err := json.Unmarshal(jbody, &want); err != nil {
				t.Fatal(err)
			}
			var wantCells []basinCell
			if err := json.Unmarshal(want["cells"], &wantCells); err != nil {
				t.Fatal(err)
			}
			delete(want, "cells")
			head, cells := decodeBasinBinary(t, bbody)
			if !reflect.DeepEqual(head, want) {
				t.Errorf("binary header\n%v\nJSON\n%v", head, want)
			}
			if len(cells) != len(wantCells) {
				t.Fatalf("%d cells, JSON %d", len(cells), len(wantCells))
			}
			statuses := map[float64]int{}
			for k, c := range cells {
				statuses[c[1]]++
				for f := range c {
					if math.Float64bits(c[f]) != math.Float64bits(wantCells[k][f]) {
						t.Fatalf("cell %d: binary %v, JSON %v", k, c, wantCells[k])
					}
				}
			}
			t.Logf("cells by status %v", statuses)
		})
	}
	for _, accept := range []string{"", "application/json", "*/*", "application/octet-streamx"} {
		res, body := postAccept(t, srv.URL+"/api/v1/basins", specs["adam-himmelblau"], accept)
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "application/json" || !json.Valid(body) {
			t.Errorf("Accept %q: %d %q", accept, res.StatusCode, ct)
		}
	}
	// Errors stay JSON, whatever the client accepts.
	res, body := postAccept(t, srv.URL+"/api/v1/basins", `{"function":"booth","optimizers":[{"name":"sgd"}],"grid":1}`, "application/octet-stream")
	if res.StatusCode != 400 || !strings.Contains(string(body), `"field":"grid"`) {
		t.Errorf("bad grid: %d %s", res.StatusCode, body)
	}
}
