package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/basin-dev/basin/internal/api"
)

// envPrefix starts the environment variable of every setting flag:
// -max-runs is BASIN_MAX_RUNS.
const envPrefix = "BASIN_"

// commandFlags do something and exit instead of configuring the server,
// so they take no environment variable: a BASIN_HEALTHCHECK left in a
// container's environment would stop the server from ever starting.
var commandFlags = map[string]bool{"version": true, "healthcheck": true}

// config is everything the command line and the environment set.
type config struct {
	api         api.Config
	addr        string
	origins     string
	logFormat   string
	logLevel    slog.Level
	version     bool
	healthcheck bool
	limits      *limits
}

// parseConfig reads the flags in args over the BASIN_* variables getenv
// gives: each flag first takes its variable's value, then the command line
// overrides it. A bad variable is an error that names it.
func parseConfig(args []string, getenv func(string) string, usage io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&c.origins, "origins", "", "comma-separated extra origins whose pages may open websockets and call the REST API (CORS)")
	fs.StringVar(&c.api.FrameAncestors, "frame-ancestors", "", "CSP frame-ancestors sources; empty lets any page embed Basin")
	fs.IntVar(&c.api.MaxRuns, "max-runs", api.DefaultMaxRuns, "trajectories computing at once on the whole server")
	fs.IntVar(&c.api.MaxConns, "max-conns", api.DefaultMaxConns, "open websockets on the whole server")
	fs.IntVar(&c.api.MaxConnsPerClient, "max-conns-per-client", api.DefaultMaxConnsPerClient, "open websockets per client address")
	c.limits = addLimitFlags(fs, &c.api)
	fs.StringVar(&c.api.Prefix, "prefix", "", "path prefix Basin is served under when a proxy forwards the full path (e.g. /basin)")
	fs.BoolVar(&c.api.Metrics, "metrics", false, "serve Prometheus metrics at /metrics")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.TextVar(&c.logLevel, "log-level", slog.LevelInfo, "lowest level logged: debug, info, warn or error")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	fs.BoolVar(&c.healthcheck, "healthcheck", false, "check /healthz of the server at -addr and exit 0 if it is healthy, 1 if not")
	fs.Usage = func() {
		fmt.Fprintf(usage, "Usage: server [flags]\nEvery flag but -version and -healthcheck can also be set by %sNAME (e.g. %sMAX_RUNS); the flag wins.\n", envPrefix, envPrefix)
		fs.PrintDefaults()
	}

	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if commandFlags[f.Name] {
			return
		}
		name := envName(f.Name)
		v := getenv(name)
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			envErr = errors.Join(envErr, fmt.Errorf("environment variable %s=%q: %v", name, v, err))
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	if err := fs.Parse(args); err != nil {
		return nil, reportedError{err} // the flag package has printed it, with the usage
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every setting is a flag (see -help)", fs.Arg(0))
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	if c.origins != "" {
		c.api.AllowedOrigins = strings.Split(c.origins, ",")
	}
	if err := c.limits.apply(&c.api, c.addr); err != nil {
		return nil, err
	}
	return c, nil
}

// reportedError is an error already shown to the user.
type reportedError struct{ error }

func (e reportedError) Unwrap() error { return e.error }

// envName is the environment variable of a flag.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// check rejects values the flag package accepts but the server cannot use.
func (c *config) check() error {
	if c.logFormat != "text" && c.logFormat != "json" {
		return fmt.Errorf("-log-format (%s) must be text or json, got %q", envName("log-format"), c.logFormat)
	}
	for _, lim := range []struct {
		name string
		v    int
	}{{"max-runs", c.api.MaxRuns}, {"max-conns", c.api.MaxConns}, {"max-conns-per-client", c.api.MaxConnsPerClient}} {
		if lim.v < 1 {
			return fmt.Errorf("-%s (%s) must be at least 1, got %d", lim.name, envName(lim.name), lim.v)
		}
	}
	if p := c.api.Prefix; p != "" {
		if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?#*{} ") {
			return fmt.Errorf("-prefix (%s) must start with / and not end with one, like /basin; got %q", envName("prefix"), p)
		}
	}
	return nil
}

// logger builds the server's logger in the chosen format and level.
func (c *config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.logLevel}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
