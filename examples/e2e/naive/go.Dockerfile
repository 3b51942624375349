# syntax=docker/dockerfile:1

# The naive Go image docs/benchmarks.md compares dgen's output with: one
# stage, the whole repository copied before anything is downloaded (so any
# edit downloads every module again), and the toolchain, module cache and
# source shipped in the image.

# BASE is the image of dgen's build stage for the same app.
ARG BASE=golang:1.26-trixie
FROM ${BASE}
ARG MAIN=.
WORKDIR /app
COPY . .
RUN go build -o /usr/local/bin/app "$MAIN"
CMD ["/usr/local/bin/app"]
