package api

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// docsAPI and docsOpenAPI are the documents the tests hold the server to.
const (
	docsAPI     = "../../docs/API.md"
	docsOpenAPI = "../../docs/openapi.json"
)

func TestOpenAPICopyMatchesDocs(t *testing.T) {
	docs, err := os.ReadFile(docsOpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, openAPIDoc) {
		t.Fatalf("internal/api/openapi.json differs from %s: copy the one you edited over the other", docsOpenAPI)
	}
	_, srv := newServer(t, Config{})
	res, body := get(t, srv.URL+"/api/v1/openapi.json")
	if res.StatusCode != 200 || !bytes.Equal(body, docs) || res.Header.Get("ETag") == "" {
		t.Errorf("/api/v1/openapi.json: %d, %d bytes, ETag %q", res.StatusCode, len(body), res.Header.Get("ETag"))
	}
	_, srv = newServer(t, Config{Prefix: "/basin"})
	_, body = get(t, srv.URL+"/basin/api/v1/openapi.json")
	var d struct{ Servers []struct{ URL string } }
	if err := json.Unmarshal(body, &d); err != nil || len(d.Servers) != 1 || d.Servers[0].URL != "/basin/" {
		t.Errorf("below -prefix the servers entry is %+v (%v), want /basin/", d.Servers, err)
	}
}
