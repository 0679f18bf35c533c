# Basin server image: a static binary on a distroless, non-root base.
#   docker build --build-arg REVISION=$(git rev-parse HEAD) -t basin .
#   docker run --rm -p 8080:8080 basin
# The build is the one CI checks (CGO_ENABLED=0 go build ./cmd/server), with
# GOEXPERIMENT=simd so amd64 hosts with AVX-512 get the fast basin-map kernel
# (other hosts fall back to identical portable code). Pass
# --build-arg GOEXPERIMENT= to build without it.

# The build image is the toolchain go.mod pins (CI checks they agree).
FROM golang:1.26.11 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG GOEXPERIMENT=simd
# The context has no .git, so the toolchain cannot stamp the commit; pass it
# for -version and /healthz: --build-arg REVISION=$(git rev-parse HEAD)
ARG REVISION=
RUN CGO_ENABLED=0 GOEXPERIMENT=${GOEXPERIMENT} \
    go build -trimpath \
    -ldflags="-s -w -X github.com/basin-dev/basin/internal/version.linkedRevision=${REVISION}" \
    -o /out/basin-server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/basin-server /basin-server
# Listen on every interface inside the container; publish with -p.
ENV BASIN_ADDR=:8080
EXPOSE 8080
USER nonroot:nonroot
# Distroless has no shell or curl: the binary checks its own /healthz (at
# BASIN_ADDR, an empty host meaning 127.0.0.1, below BASIN_PREFIX if set).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/basin-server", "-healthcheck"]
ENTRYPOINT ["/basin-server"]
