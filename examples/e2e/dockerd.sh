#!/usr/bin/env bash
# dockerd.sh — the Docker daemon of dgen's real-build test (run.sh calls it).
#
#   dockerd.sh start      start a daemon of the test's own, unless it answers
#                         already; prints "started" or "running"
#   dockerd.sh stop       stop that daemon (by its pid file)
#   dockerd.sh frontend   put the Dockerfile frontend that `# syntax=` names
#                         into the daemon's image store, then prove BuildKit
#                         uses it
#
# The daemon is Debian's docker.io (Docker 20.10, BuildKit built in). It
# runs without systemd, without a bridge network and without iptables (root
# in a CI container cannot set them up), so builds and containers use the
# host's network. Its images, build cache, socket and pid file are the
# test's own (under DGEN_E2E_STATE and DGEN_E2E_RUNDIR), so it never touches
# another daemon on the machine. See docs/real-builds.md.
set -euo pipefail

state=${DGEN_E2E_STATE:-/var/tmp/dgen-e2e}
run=${DGEN_E2E_RUNDIR:-/run/dgen-e2e}/dockerd
sock=$run/docker.sock
export DOCKER_HOST=unix://$sock
# Debian's client: a newer docker elsewhere on PATH wants the buildx plugin
# for BuildKit, which Debian does not package.
docker=/usr/bin/docker
export DOCKER_BUILDKIT=1

say() { printf 'e2e: dockerd: %s\n' "$*"; }
die() { printf 'e2e: dockerd: error: %s\n' "$*" >&2; exit 1; }

answers() { "$docker" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
	if answers; then
		echo running
		return
	fi
	command -v dockerd >/dev/null || die "dockerd is not installed (apt-get install docker.io)"
	mkdir -p "$run" "$state/docker"
	# A daemon killed earlier leaves its pid file and socket behind.
	rm -f "$run/pid" "$sock"
	setsid dockerd --iptables=false --ip-masq=false --bridge=none \
		--data-root "$state/docker/data" --exec-root "$run/exec" \
		--pidfile "$run/pid" -H "unix://$sock" \
		</dev/null >>"$state/docker/dockerd.log" 2>&1 &
	for _ in $(seq 60); do
		if answers; then
			echo started
			return
		fi
		sleep 1
	done
	tail -n 20 "$state/docker/dockerd.log" >&2
	die "dockerd did not answer within 60s (log: $state/docker/dockerd.log)"
}

stop() {
	local pid
	pid=$(cat "$run/pid" 2>/dev/null || true)
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 1
	done
	die "dockerd ($pid) did not stop within 30s"
}

# frontend builds the frontend image that `# syntax=docker/dockerfile:1`
# names. BuildKit runs that image to parse the Dockerfile; with no registry
# it must come from the daemon's own store, where BuildKit looks first. It
# is BuildKit's own dockerfile-frontend program, compiled from the BuildKit
# release dgen's go.mod pins (the parser dgen's offline checks use too),
# laid out like the published image. The Dockerfiles are built unchanged.
frontend() {
	local ref=docker.io/docker/dockerfile:1 version have work out
	version=$(cd "$(dirname "$0")/../.." && go list -m -f '{{.Version}}' github.com/moby/buildkit)
	have=$("$docker" image inspect --format '{{index .Config.Labels "dgen.e2e.buildkit"}}' "$ref" 2>/dev/null || true)
	if [ "$have" != "$version" ]; then
		say "building the Dockerfile frontend from github.com/moby/buildkit $version"
		work=$state/docker/frontend
		rm -rf "$work"
		mkdir -p "$work"
		if ! (
			cd "$work"
			go mod init dgen-e2e-frontend
			go get "github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend@$version"
			CGO_ENABLED=0 go build -trimpath -tags "netgo static_build osusergo" \
				-ldflags "-s -w -X main.Version=$version" -o dockerfile-frontend \
				github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend
		) >"$work/build.log" 2>&1; then
			tail -n 15 "$work/build.log" >&2
			die "could not build the Dockerfile frontend (log: $work/build.log)"
		fi
		# The labels are those of BuildKit's own frontend image.
		cat >"$work/Dockerfile" <<-EOF
			FROM scratch
			LABEL moby.buildkit.frontend.network.none="true"
			LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts,moby.buildkit.frontend.gitquerystring,moby.buildkit.frontend.contexts.zstd"
			LABEL dgen.e2e.buildkit="$version"
			COPY dockerfile-frontend /bin/dockerfile-frontend
			ENTRYPOINT ["/bin/dockerfile-frontend"]
		EOF
		printf '*\n!dockerfile-frontend\n' >"$work/.dockerignore"
		"$docker" build -q -t "$ref" "$work" >/dev/null || die "could not build the frontend image"
	fi
	# Proof: a Dockerfile with the line makes BuildKit load this image (the
	# build log names it); were it ignored, the log would not.
	work=$(mktemp -d)
	printf '# syntax=docker/dockerfile:1\nFROM scratch\nCOPY <<EOT /proof\nheredocs need the external frontend\nEOT\n' >"$work/Dockerfile"
	out=$("$docker" build --no-cache --progress=plain "$work" 2>&1) || {
		rm -rf "$work"
		printf '%s\n' "$out" | tail -n 15 >&2
		die "a build with '# syntax=docker/dockerfile:1' failed"
	}
	rm -rf "$work"
	printf '%s\n' "$out" | grep -q "docker-image://$ref" ||
		die "BuildKit did not load $ref for '# syntax=docker/dockerfile:1'"
	say "'# syntax=docker/dockerfile:1' runs the local frontend ($version)"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
frontend) frontend ;;
*) die "usage: dockerd.sh start|stop|frontend" ;;
esac
