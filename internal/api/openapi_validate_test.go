//go:build openapicheck

// The checks against the OpenAPI description need pb33f's validator, whose
// packages take minutes to compile on a cold build cache; they build only
// with -tags openapicheck, which CI sets, so the README's plain go test
// stays quick on a fresh machine.

package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// newOpenAPIValidator checks the description itself and returns a
// validator of requests and responses against it.
func newOpenAPIValidator(t *testing.T) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(openAPIDoc)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		t.Fatalf("OpenAPI version %s, want 3.1", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("building the validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("the description is not valid OpenAPI 3.1: %s: %s", e.Message, e.Reason)
		}
		t.FailNow()
	}
	return v
}

// specDocBlock is a fenced block of docs/API.md with the heading it is under.
type specDocBlock struct {
	line    int
	heading string
	lang    string
	text    string
}

func readDocBlocks(t *testing.T) []specDocBlock {
	t.Helper()
	f, err := os.Open(docsAPI)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		blocks  []specDocBlock
		cur     *specDocBlock
		heading string
		n       int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &specDocBlock{line: n, heading: heading, lang: strings.TrimPrefix(line, "```")}
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		case strings.HasPrefix(line, "#"):
			heading = strings.TrimSpace(strings.TrimLeft(line, "#"))
		}
	}
	return blocks
}

// curlExample is one curl command of a sh block.
type curlExample struct {
	line   int
	method string
	target string // path and query
	body   string
	header http.Header
}

// parseCurls reads the curl commands of a sh block: -X, -d (a @file is the
// run spec of the doc), -H and the URL; output options are ignored.
func parseCurls(t *testing.T, b specDocBlock, specFile string) []curlExample {
	t.Helper()
	var out []curlExample
	text := strings.ReplaceAll(b.text, "\\\n", " ")
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "curl ") {
			continue
		}
		args := shellWords(t, line)
		c := curlExample{line: b.line + 1 + i, method: "GET", header: http.Header{}}
		for k := 1; k < len(args); k++ {
			switch a := args[k]; {
			case a == "-X":
				k++
				c.method = args[k]
			case a == "-d":
				k++
				c.body = args[k]
				if strings.HasPrefix(c.body, "@") {
					c.body = specFile
				}
				if c.method == "GET" {
					c.method = "POST"
				}
			case a == "-H":
				k++
				name, value, _ := strings.Cut(args[k], ":")
				c.header.Set(name, strings.TrimSpace(value))
			case a == "-o":
				k++
			case strings.HasPrefix(a, "localhost:8080"):
				c.target = strings.TrimPrefix(a, "localhost:8080")
			}
		}
		if c.target == "" {
			t.Fatalf("API.md:%d: no localhost:8080 URL in %s", c.line, line)
		}
		out = append(out, c)
	}
	return out
}

// shellWords splits a command line as sh would for the quoting API.md uses.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("unbalanced quote in %s", s)
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// wsSections hold websocket messages, not REST bodies.
var wsSections = map[string]bool{"Websocket protocol": true, "Sweeps, basin maps and inspections": true}

// TestAPIExamplesMatchOpenAPI holds every example of docs/API.md to the
// OpenAPI description: each curl request is validated, sent to a real
// server, and its answer validated; each complete JSON example is
// validated as what it shows (the answer of the curl before it, or, by its
// section, a run spec, a run result, the health answer or errors).
// Examples elided with "..." are covered by the live answers.
func TestAPIExamplesMatchOpenAPI(t *testing.T) {
	v := newOpenAPIValidator(t)
	_, srv := newServer(t, Config{})
	blocks := readDocBlocks(t)
	var specFile string
	for _, b := range blocks {
		if b.heading == "Run specs" && b.lang == "json" {
			specFile = b.text
			break
		}
	}
	if specFile == "" {
		t.Fatal("no run spec example under Run specs")
	}

	validateRequest := func(where string, req *http.Request, body string) {
		t.Helper()
		req.Body = io.NopCloser(strings.NewReader(body))
		if ok, errs := v.ValidateHttpRequest(req); !ok {
			for _, e := range errs {
				t.Errorf("%s: request: %s: %s %v", where, e.Message, e.Reason, schemaErrors(e))
			}
		}
		req.Body = io.NopCloser(strings.NewReader(body))
	}
	validateResponse := func(where string, req *http.Request, status int, contentType string, body []byte) {
		t.Helper()
		res := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}},
			Body: io.NopCloser(bytes.NewReader(body)), Request: req}
		if ok, errs := v.ValidateHttpResponse(req, res); !ok {
			for _, e := range errs {
				t.Errorf("%s: response %d: %s: %s %v", where, status, e.Message, e.Reason, schemaErrors(e))
			}
		}
	}
	newReq := func(method, target string, body string) *http.Request {
		req, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		return req
	}

	var last *curlExample // the last curl of the sh block just before
	curls := 0
	for _, b := range blocks {
		where := "API.md:" + itoa(b.line)
		switch b.lang {
		case "sh":
			cs := parseCurls(t, b, specFile)
			last = nil
			for i := range cs {
				c := cs[i]
				last = &cs[i]
				curls++
				req := newReq(c.method, c.target, c.body)
				for k, vs := range c.header {
					req.Header[k] = vs
				}
				validateRequest("API.md:"+itoa(c.line), req, c.body)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Errorf("API.md:%d: %s %s answered %d: %s", c.line, c.method, c.target, res.StatusCode, got)
				}
				validateResponse("API.md:"+itoa(c.line)+" (live)", newReq(c.method, c.target, c.body), res.StatusCode, res.Header.Get("Content-Type"), got)
			}
			continue
		case "json":
		default:
			last = nil
			continue
		}
		prev := last
		last = nil
		if wsSections[b.heading] {
			continue
		}
		if b.heading == "Errors" || b.heading == "Limits" { // one error object per line
			for _, line := range strings.Split(strings.TrimSpace(b.text), "\n") {
				validateResponse(where, newReq("POST", "/api/v1/runs", specFile), 400, "application/json", []byte(line))
			}
			continue
		}
		if !json.Valid([]byte(b.text)) {
			if !strings.Contains(b.text, "...") {
				t.Errorf("%s: a JSON example that is neither valid JSON nor elided with ...", where)
			}
			continue
		}
		switch {
		case prev != nil:
			validateResponse(where, newReq(prev.method, prev.target, prev.body), 200, "application/json", []byte(b.text))
		case b.heading == "Run specs":
			validateRequest(where, newReq("POST", "/api/v1/runs", b.text), b.text)
		case b.heading == "The training request":
			validateRequest(where, newReq("POST", "/api/v1/train", b.text), b.text)
		case b.heading == "Operating":
			validateResponse(where, newReq("GET", "/healthz", ""), 200, "application/json", []byte(b.text))
		default:
			t.Errorf("%s: a JSON example under %q that the test does not know how to check: add its section here", where, b.heading)
		}
	}
	if curls < 10 {
		t.Errorf("only %d curl examples found in %s", curls, docsAPI)
	}
}

// TestOpenAPIRejectsBadInput makes sure the validation can fail: answers
// and requests that break the description are caught.
func TestOpenAPIRejectsBadInput(t *testing.T) {
	v := newOpenAPIValidator(t)
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		answer                   string
	}{
		{"unknown spec field", "POST", "/api/v1/runs", `{"function":"booth","stpes":3,"optimizers":[{"name":"sgd"}]}`, 0, ""},
		{"no optimizers", "POST", "/api/v1/runs", `{"function":"booth"}`, 0, ""},
		{"run result without outcome", "POST", "/api/v1/runs", `{"function":"booth","optimizers":[{"name":"sgd"}]}`, 200,
			`{"runs":[{"optimizer":{"name":"sgd","display":"SGD"},"points":[[0,0,1]]}]}`},
		{"error without its message", "POST", "/api/v1/runs", `{"function":"booth","optimizers":[{"name":"sgd"}]}`, 400, `{"field":"steps"}`},
		{"unknown status", "POST", "/api/v1/basins", `{"function":"booth","optimizers":[{"name":"sgd"}],"grid":2}`, 200,
			`{"grid":2,"box":[0,1,0,1],"optimizer":{"name":"sgd","display":"SGD"},"statuses":["stuck"],"critical":[],"cells":[],"summary":{"reached":[],"converged_elsewhere":0,"not_converged":0,"diverged":0,"left_domain":0}}`},
		{"unknown training field", "POST", "/api/v1/train", `{"dataset":{"name":"moons"},"model":{"kind":"linear"},"epoks":3}`, 0, ""},
		{"unknown model kind", "POST", "/api/v1/train", `{"dataset":{"name":"moons"},"model":{"kind":"cnn"}}`, 0, ""},
		{"unknown basin field", "POST", "/api/v1/basins", `{"function":"booth","optimizers":[{"name":"sgd"}],"grd":2}`, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, "http://basin.test"+c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			if c.status == 0 {
				if ok, _ := v.ValidateHttpRequest(req); ok {
					t.Errorf("request %s passed", c.body)
				}
				return
			}
			res := &http.Response{StatusCode: c.status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(c.answer)), Request: req}
			if ok, _ := v.ValidateHttpResponse(req, res); ok {
				t.Errorf("answer %s passed", c.answer)
			}
		})
	}
}

// schemaErrors lists the schema's own reasons for a failed validation.
func schemaErrors(e *verrors.ValidationError) []string {
	var out []string
	for _, s := range e.SchemaValidationErrors {
		out = append(out, s.FieldPath+": "+s.Reason)
	}
	return out
}
