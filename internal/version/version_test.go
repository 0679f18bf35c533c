package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	for _, c := range []struct {
		name     string
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"checkout without VCS stamp", "(devel)", nil, "devel"},
		{"empty module version", "", nil, "devel"},
		{"released module", "v1.2.0", nil, "v1.2.0"},
		{"stamped checkout", "(devel)", []debug.BuildSetting{
			{Key: "vcs.revision", Value: "4f2a9c1e7b3d5a6b7c8d9e0f1a2b3c4d5e6f7a8b"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
			{Key: "vcs.modified", Value: "false"},
		}, "devel+4f2a9c1e7b3d"},
		{"dirty checkout", "(devel)", []debug.BuildSetting{
			{Key: "vcs.revision", Value: "4f2a9c1e7b3d5a6b"},
			{Key: "vcs.modified", Value: "true"},
		}, "devel+4f2a9c1e7b3d-dirty"},
		{"short revision", "(devel)", []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}, "devel+abc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/basin-dev/basin", Version: c.main}, Settings: c.settings}
			in := FromBuildInfo(bi)
			if got := in.String(); got != c.want {
				t.Errorf("String() = %q, want %q", got, c.want)
			}
			if in.Go != "go1.26.8" {
				t.Errorf("Go = %q", in.Go)
			}
		})
	}
}

func TestLinkedRevision(t *testing.T) {
	defer func(old string) { linkedRevision = old }(linkedRevision)
	linkedRevision = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d"
	bi := &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "(devel)"}}
	if got, want := FromBuildInfo(bi).String(), "devel+9e8d7c6b5a4f"; got != want {
		t.Errorf("unstamped build with a linked revision: %q, want %q", got, want)
	}
	bi.Settings = []debug.BuildSetting{{Key: "vcs.revision", Value: "4f2a9c1e7b3d5a6b"}}
	if got, want := FromBuildInfo(bi).String(), "devel+4f2a9c1e7b3d"; got != want {
		t.Errorf("stamped build with a linked revision: %q, want the stamp, %q", got, want)
	}
}

func TestGetRunningBinary(t *testing.T) {
	in := Get()
	if in.Version == "" || in.Go == "" {
		t.Errorf("Get() = %+v: version and Go must never be empty", in)
	}
}
