#!/usr/bin/env bash
# govulncheck against a pinned copy of the Go vulnerability database.
#
# The online database is not reachable from CI, but the database's source
# is a Go module (golang.org/x/vulndb) that the module proxy serves: its
# data/osv folder holds every advisory as OSV JSON, one <ID>.json a file.
# govulncheck reads such a folder with -db file:// (it indexes it itself when
# the folder has no index/modules.json), so no index needs building; the
# module's own cmd/indexdb would compile cloud and git libraries for
# minutes. Pinning both versions makes the check reproducible; raise
# VULNDB_VERSION to pick up newer advisories
# (`go list -m golang.org/x/vulndb@latest`).
#
# Usage: tools/vulncheck/run.sh [packages, default ./cmd/server]
# Exits non-zero when an advisory is reachable from the given packages.
set -euo pipefail
cd "$(dirname "$0")/../.."

VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
GOVULNCHECK_VERSION=v1.9.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# go mod download needs a module to run in; an empty one will do.
(cd "$work" && printf 'module vulndbfetch\n\ngo 1.26\n' >go.mod &&
  go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" >download.json)
src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$work/download.json")
[ -d "$src/data/osv" ] || { echo "vulncheck: no data/osv in $src" >&2; exit 1; }

echo "vulncheck: database golang.org/x/vulndb@$VULNDB_VERSION ($(ls "$src/data/osv" | wc -l) advisories)"

go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$src/data/osv" "${@:-./cmd/server}"
