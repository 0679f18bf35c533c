package api

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// apiDoc is docs/API.md, the document a client is written from.
func apiDoc(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "\n")
}

// docBlock is a fenced block of docs/API.md: its language and text.
type docBlock struct {
	line       int // 1-based line of the opening fence
	lang, text string
}

func docBlocks(lines []string) []docBlock {
	var out []docBlock
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		b := docBlock{line: i + 1, lang: strings.TrimPrefix(lines[i], "```")}
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		b.text = strings.Join(body, "\n")
		out = append(out, b)
	}
	return out
}

// exampleToken is a string or a number of an example answer: each must be
// in the real answer, written the same way ("..." stands for what is left
// out).
var exampleToken = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`)

// curlRequest reads the single curl command of a sh block: method, path
// and body.
var curlURL = regexp.MustCompile(`'?localhost:8080(/[^' ]*)'?`)
var curlBody = regexp.MustCompile(`-d '([^']*)'`)

// TestDocExamplesAreRealAnswers: every example answer in docs/API.md that
// follows its request (a curl command, or the run spec for the result of a
// run) holds only strings and numbers of the server's real answer to that
// request, so an example shows the numbers of its own request.
func TestDocExamplesAreRealAnswers(t *testing.T) {
	lines := apiDoc(t)
	blocks := docBlocks(lines)
	_, srv := newServer(t, Config{})
	checked := 0
	for i := 1; i < len(blocks); i++ {
		req, ans := blocks[i-1], blocks[i]
		isSpec := req.lang == "json" && strings.HasPrefix(req.text, `{"function"`) && (strings.HasPrefix(ans.text, `{"runs"`) || strings.HasPrefix(ans.text, `{"schedule"`))
		if ans.lang != "json" || (req.lang != "sh" && !isSpec) {
			continue
		}
		var body []byte
		switch req.lang {
		case "json": // a run spec, then its result
			_, body = post(t, srv.URL+"/api/v1/runs", req.text)
		case "sh":
			if strings.Count(req.text, "curl") != 1 {
				continue
			}
			u := curlURL.FindStringSubmatch(req.text)
			if u == nil {
				t.Errorf("docs/API.md:%d: no URL in %q", req.line, req.text)
				continue
			}
			if d := curlBody.FindStringSubmatch(req.text); d != nil {
				_, body = post(t, srv.URL+u[1], d[1])
			} else {
				_, body = get(t, srv.URL+u[1])
			}
		}
		checked++
		real := exampleToken.FindAllString(string(body), -1)
		for _, tok := range exampleToken.FindAllString(ans.text, -1) {
			if !inAnswer(tok, real) {
				t.Errorf("docs/API.md:%d: the example answer holds %s, the real answer does not:\n%s", ans.line, tok, clipBytes(body))
			}
		}
	}
	if checked < 5 {
		t.Errorf("checked %d examples: the test no longer finds them", checked)
	}
}

// inAnswer reports whether the example's token tok is one of the real
// answer's tokens; a string with "..." in it stands for any string that
// begins as it does.
func inAnswer(tok string, real []string) bool {
	head, elided := strings.CutSuffix(tok, `..."`)
	if i := strings.Index(tok, "..."); i >= 0 && !elided {
		head, elided = tok[:i], true
	}
	for _, r := range real {
		if r == tok || (elided && strings.HasPrefix(r, head)) {
			return true
		}
	}
	return false
}

// docMessageRequests are run specs that give each message listed under
// "Examples of messages" in docs/API.md, with the field it names.
var docMessageRequests = map[string]struct{ body, field string }{
	`unknown function "himelblau" (did you mean himmelblau?)`:             {`{"function":"himelblau","optimizers":[{"name":"sgd"}]}`, "function"},
	`steps must be in [1, 10000], got 0`:                                  {`{"function":"booth","steps":0,"optimizers":[{"name":"sgd"}]}`, "steps"},
	`steps must be an integer, got "+10"`:                                 {`{"function":"booth","steps":"+10","optimizers":[{"name":"sgd"}]}`, "steps"},
	`start[0] must be finite with |x| <= 1e6, got 10000000`:               {`{"function":"booth","start":[1e7,0],"optimizers":[{"name":"sgd"}]}`, "start[0]"},
	`unknown field "stpes" (did you mean steps?)`:                         {`{"function":"booth","stpes":5,"optimizers":[{"name":"sgd"}]}`, "stpes"},
	`optimizers[0].name: unknown optimizer "adm" (did you mean adam?)`:    {`{"function":"booth","optimizers":[{"name":"adm"}]}`, "optimizers[0].name"},
	`optimizers[0].nesterov must be true or false`:                        {`{"function":"booth","optimizers":[{"name":"sgd","nesterov":1}]}`, "optimizers[0].nesterov"},
	`optimizers[0].betas[1] must be in [0, 1), got 1.5`:                   {`{"function":"booth","optimizers":[{"name":"adam","betas":[0.9,1.5]}]}`, "optimizers[0].betas[1]"},
	`schedule.step_size is required for steplr`:                           {`{"function":"booth","schedule":{"name":"steplr"},"optimizers":[{"name":"sgd"}]}`, "schedule.step_size"},
	`domain[0] must be finite with |v| <= 1e6, got 10000000`:              {`{"function":"booth","domain":[1e7,2,3,4],"optimizers":[{"name":"sgd"}]}`, "domain[0]"},
	`function must be a string, got null`:                                 {`{"function":null,"expr":"x^2","optimizers":[{"name":"sgd"}]}`, "function"},
	`malformed JSON at offset 13: invalid character '"' after object key`: {`{"function" "booth"}`, ""},
	`request body must be at most 65536 bytes`:                            {`{"function":"` + strings.Repeat("x", 70000) + `"}`, ""},
}

// TestDocErrorMessages: every example message in docs/API.md is the
// server's exact answer to a real request, with the field it names.
func TestDocErrorMessages(t *testing.T) {
	lines := apiDoc(t)
	var listed []string
	for i, l := range lines {
		if l != "Examples of messages:" {
			continue
		}
		for _, m := range lines[i+1:] {
			if m == "" {
				break
			}
			listed = append(listed, strings.TrimRight(strings.TrimPrefix(m, "`"), "`,."))
		}
	}
	if len(listed) < 5 {
		t.Fatalf("found %d example messages: the test no longer finds them", len(listed))
	}
	_, srv := newServer(t, Config{})
	for _, msg := range listed {
		req, ok := docMessageRequests[msg]
		if !ok {
			t.Errorf("docs/API.md lists %q: add the request that gives it to docMessageRequests", msg)
			continue
		}
		res, body := post(t, srv.URL+"/api/v1/runs", req.body)
		var e errorBody
		field := ""
		if err := json.Unmarshal(body, &e); err == nil && e.Field != nil {
			field = *e.Field
		}
		if res.StatusCode != 400 || e.Error != msg || field != req.field {
			t.Errorf("%s: %d %s; want 400 %q naming field %q", req.body[:min(len(req.body), 80)], res.StatusCode, clipBytes(body), msg, req.field)
		}
	}
}
