// Package version says which build of Basin is running, from the build
// information the Go toolchain records in every binary: the module version
// when installed with go install module@version, and the VCS revision when
// built from a checkout with VCS stamping on (the default; -buildvcs=false
// leaves it out) or, where there is no checkout, as the build passed it to
// the linker (linkedRevision).
package version

import (
	"runtime"
	"runtime/debug"
)

// Info is what the binary knows about its own build.
type Info struct {
	// Version is the main module's version ("v1.2.0"), or "devel" for a
	// build from a checkout.
	Version string `json:"version"`
	// Revision is the VCS commit, empty when the build was not stamped.
	Revision string `json:"revision,omitempty"`
	// Time is the commit time (RFC 3339), empty when not stamped.
	Time string `json:"time,omitempty"`
	// Modified says the checkout had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
	// Go is the toolchain that built the binary.
	Go string `json:"go"`
}

// linkedRevision names the commit of a build that VCS stamping cannot
// see, set at link time:
//
//	go build -ldflags "-X github.com/basin-dev/basin/internal/version.linkedRevision=$(git rev-parse HEAD)"
//
// The container image builds from a context without .git (see
// .dockerignore), so the Dockerfile passes its REVISION build argument
// here. A revision stamped by the toolchain wins over it.
var linkedRevision string

// revisionShown is how many hex digits of the revision the one-line
// version keeps: enough to find the commit, short enough to read.
const revisionShown = 12

// Get reads the running binary's build information.
func Get() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "devel", Go: runtime.Version()}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo extracts Info from bi; Get uses it on the running binary.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	in := Info{Version: bi.Main.Version, Go: bi.GoVersion}
	if in.Version == "" || in.Version == "(devel)" {
		in.Version = "devel"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	if in.Revision == "" {
		in.Revision = linkedRevision
	}
	return in
}

// String is the one-line version: "v1.2.0", "devel+4f2a9c1e7b3d" or
// "devel+4f2a9c1e7b3d-dirty" when the checkout had changes.
func (in Info) String() string {
	s := in.Version
	if in.Revision != "" {
		s += "+" + in.Revision[:min(len(in.Revision), revisionShown)]
	}
	if in.Modified {
		s += "-dirty"
	}
	return s
}
