# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-bookworm AS builder
WORKDIR /src
RUN apt-get update && apt-get install -y git
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=builder /out/server /server
COPY --from=busybox:1.36-musl /bin/wget /usr/bin/wget
ENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json
EXPOSE 8080
HEALTHCHECK --interval=30s CMD ["/usr/bin/wget", "-q", "-O-", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/server"]
