package api

import (
	"bytes"
	_ "embed"
)

// openAPIDoc is the OpenAPI 3.1 description of the REST API, a copy of
// docs/openapi.json (a test keeps the two equal), served at
// /api/v1/openapi.json.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPIServers is the servers entry of the embedded description; the
// served copy names Config.Prefix there instead, so that clients generated
// from it call the right paths behind a proxy.
const openAPIServers = `"servers": [
    {
      "url": "/"
    }
  ]`

// openAPIBody is the description as this server serves it.
func (h *Handler) openAPIBody() *encoded {
	b := openAPIDoc
	if h.cfg.Prefix != "" {
		b = bytes.Replace(b, []byte(openAPIServers), []byte(`"servers": [
    {
      "url": "`+h.cfg.Prefix+`/"
    }
  ]`), 1)
	}
	return newEncoded(b, "application/json")
}
