package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/api"
)

func TestLimitFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		addr    string
		wantErr string
		check   func(api.Config) bool
	}{
		{nil, "127.0.0.1:8080", "", func(c api.Config) bool { return c.Loopback && len(c.TrustedProxies) == 0 }},
		{nil, ":8080", "", func(c api.Config) bool { return !c.Loopback }},
		{[]string{"-trusted-proxies", "10.0.0.0/8,192.168.1.1"}, ":8080", "", func(c api.Config) bool { return len(c.TrustedProxies) == 2 }},
		{[]string{"-hosts", "basin.example,class.example"}, ":8080", "", func(c api.Config) bool { return len(c.Hosts) == 2 }},
		{[]string{"-trusted-proxies", "nonsense"}, ":8080", "-trusted-proxies", nil},
		{[]string{"-hosts", "http://x/"}, ":8080", "-hosts", nil},
		{[]string{"-max-http-conns", "0"}, ":8080", "-max-http-conns (BASIN_MAX_HTTP_CONNS) must be positive", nil},
		{[]string{"-memory-budget", "-1"}, ":8080", "-memory-budget (BASIN_MEMORY_BUDGET) must be positive", nil},
		{[]string{"-queue-wait", "0s"}, ":8080", "-queue-wait (BASIN_QUEUE_WAIT) must be positive", nil},
		{[]string{"-runs-per-client", "-2"}, ":8080", "-runs-per-client (BASIN_RUNS_PER_CLIENT) must be positive", nil},
	} {
		fs := flag.NewFlagSet("server", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var cfg api.Config
		l := addLimitFlags(fs, &cfg)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		err := l.apply(&cfg, tc.addr)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: err %v, want %q", tc.args, err, tc.wantErr)
		case tc.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.check != nil && !tc.check(cfg):
			t.Errorf("%v on %s: config %+v", tc.args, tc.addr, cfg)
		}
	}
}
