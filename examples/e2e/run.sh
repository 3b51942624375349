#!/usr/bin/env bash
# run.sh — dgen's real-build test, what `make e2e` runs.
#
# Verifies every example under examples/ with `dgen verify` on two engines,
# Podman/Buildah and a Docker daemon with BuildKit, checks that deliberately
# broken copies fail for the right reason, runs every example's compose.yaml
# with podman-compose (the compose lane), and with DGEN_E2E_BENCH=1 rewrites
# docs/benchmarks.md with the measurements. It needs root and a Debian machine (no registry:
# the base images are local stand-ins, see docs/real-builds.md). It installs
# what it needs with apt, configures the engines, starts a Docker daemon of
# its own (and stops it at the end), then runs the e2e-tagged Go test in
# this folder, which prints one PASS or FAIL line per example and ends with
# "N passed, N failed". Safe to run again: stand-in images already built are
# kept, everything else is rebuilt from scratch.
#
#   DGEN_E2E_ONLY=go-stdlib,node-express-pnpm bash examples/e2e/run.sh
#   DGEN_E2E_ENGINES=podman bash examples/e2e/run.sh
#
# run some examples only, or one engine only (docs/benchmarks.md is then
# left alone). DGEN_E2E_ONLY=broken runs only the broken copies,
# DGEN_E2E_ONLY=compose only the compose lane (each example's compose.yaml
# run with podman-compose: up, healthy, data kept across down and up).
set -euo pipefail

cd "$(dirname "$0")/../.."
started=$(date +%s)
export PATH=$PATH:/usr/local/go/bin
export DEBIAN_FRONTEND=noninteractive
# The OCI image format drops HEALTHCHECK; Docker format keeps it.
export BUILDAH_FORMAT=docker

say() { printf 'e2e: %s\n' "$*"; }
die() { printf 'e2e: error: %s\n' "$*" >&2; printf '0 passed, 1 failed\n'; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: Buildah and Podman run rootful here"
command -v go >/dev/null || die "go is not on PATH (nor in /usr/local/go/bin)"

# One run at a time per state folder: a second run would remove the first
# one's build containers and layers, so a run started meanwhile waits its
# turn. flock -o holds the lock itself and keeps it from the script's
# children (a container left running must not hold it).
state=${DGEN_E2E_STATE:-/var/tmp/dgen-e2e}
export DGEN_E2E_STATE=$state
# Runtime files (Podman's run root, the Docker daemon's socket) go in a
# folder of the state folder's own, so runs with other state folders can
# go on side by side.
if [ "$state" = /var/tmp/dgen-e2e ]; then
	export DGEN_E2E_RUNDIR=/run/dgen-e2e
else
	export DGEN_E2E_RUNDIR=/run/dgen-e2e-$(printf '%s' "$state" | sha256sum | cut -c1-8)
fi
if [ -z "${DGEN_E2E_LOCKED:-}" ]; then
	mkdir -p "$state"
	flock -n "$state/lock" true || say "another e2e run is using $state; waiting for it to finish"
	DGEN_E2E_LOCKED=1 exec flock -o "$state/lock" bash "$0" "$@"
fi

# retry N CMD... — Debian mirrors drop a download now and then.
retry() {
	local n=$1 i
	shift
	for ((i = 1; i <= n; i++)); do
		if "$@"; then return 0; fi
		if [ "$i" -lt "$n" ]; then
			say "attempt $i of $n failed: $*; retrying"
			sleep $((i * 5))
		fi
	done
	return 1
}

# Packages: Podman and Buildah; runc because Debian's crun refuses this
# machine's cgroup layout; iptables, which netavark needs and Debian only
# suggests; debootstrap for the stand-in base images.
engines=${DGEN_E2E_ENGINES:-podman,docker}
export DGEN_E2E_ENGINES=$engines
packages=(podman buildah runc iptables netavark aardvark-dns fuse-overlayfs
	slirp4netns uidmap debootstrap curl ca-certificates)
# podman-compose runs the examples' compose.yaml on Podman (the compose
# lane; Debian 12 has 1.0.3).
case ",$engines," in *,podman,*) packages+=(podman-compose) ;; esac
# docker.io is Docker 20.10 with BuildKit built in (dockerd, containerd).
case ",$engines," in *,docker,*) packages+=(docker.io) ;; esac
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	say "installing ${missing[*]}"
	retry 3 apt-get -o DPkg::Lock::Timeout=300 update -qq
	# Installing docker.io would start a default dockerd (bridge,
	# iptables) where an init system is missing or unused: forbid service
	# starts for the install, as Debian's own container images do.
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		policy=/usr/sbin/policy-rc.d
	fi
	status=0
	retry 3 apt-get install -y -qq -o Acquire::Retries=3 -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null || status=$?
	[ -z "$policy" ] || rm -f "$policy"
	[ "$status" = 0 ] || die "apt-get install ${missing[*]} failed"
fi

# Engine settings. Root here cannot raise rlimits, so containers must not ask
# for more than the hard limits (a --ulimit flag would replace this whole
# list); crun refuses this cgroup layout, runc works.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
[ "$nofile" = unlimited ] && nofile=1048576
conf=/etc/containers/containers.conf
want="# Written by dgen's examples/e2e/run.sh (see docs/real-builds.md).
[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]
[engine]
runtime = \"runc\"
[network]
network_backend = \"netavark\""
if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then
	if [ -s "$conf" ] && ! grep -q "dgen's examples/e2e/run.sh" "$conf" && [ ! -e "$conf.before-dgen-e2e" ]; then
		cp "$conf" "$conf.before-dgen-e2e"
		say "kept the previous $conf as $conf.before-dgen-e2e"
	fi
	mkdir -p /etc/containers
	printf '%s\n' "$want" >"$conf"
	say "wrote $conf"
fi

if [ ! -x bin/dgen ]; then
	say "building bin/dgen"
	go build -trimpath -o bin/dgen ./cmd/dgen
fi

say "buildah $(buildah --version | awk '{print $3}'), podman $(podman --version | awk '{print $3}'), $(nproc) CPUs"

# The Docker daemon: the test's own, without bridge or iptables (see
# dockerd.sh). One that already answers on the test's socket is used and
# left running; one started here is stopped when the script ends, however
# it ends (DGEN_E2E_KEEP_DOCKERD=1 leaves it running for the next run).
if [[ ",$engines," == *,docker,* ]]; then
	export DOCKER_HOST=unix://$DGEN_E2E_RUNDIR/dockerd/docker.sock
	# Debian's client (a newer one on PATH wants the buildx plugin).
	export DGEN_DOCKER=/usr/bin/docker
	dockerd_state=$(bash examples/e2e/dockerd.sh start) || die "could not start dockerd"
	if [ "$dockerd_state" = started ] && [ -z "${DGEN_E2E_KEEP_DOCKERD:-}" ]; then
		trap 'bash examples/e2e/dockerd.sh stop || true' EXIT
		say "started dockerd; it is stopped when the run ends"
	else
		say "dockerd is running ($dockerd_state); it is left running"
	fi
	say "docker $(/usr/bin/docker version --format '{{.Server.Version}}')"
	bash examples/e2e/dockerd.sh frontend || die "the Dockerfile frontend for '# syntax=' is not usable"
fi

# The test's images live in a storage of their own: the stand-ins carry
# official images' names (golang:1.26-trixie…), which must not shadow real
# images in the machine's own storage, and the test prunes untagged images
# before each cold build. Its own TMPDIR likewise gives it Buildah cache
# mounts that no other build shares.
mkdir -p "$state/tmp"
export CONTAINERS_STORAGE_CONF=$state/storage.conf
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/storage"\nrunroot = "%s/storage"\n' "$state" "$DGEN_E2E_RUNDIR" >"$CONTAINERS_STORAGE_CONF"
export TMPDIR=$state/tmp
log=$state/go-test.log
set +e
# The test stops starting examples when less than 8 minutes of this timeout
# are left, so the whole run stays under the timeout even on a busy
# machine. The two engines run side by side (see e2e_test.go).
# DGEN_E2E_TIMEOUT raises it on a machine shared with other heavy work;
# DGEN_E2E_BENCH=1 adds the naive baselines and rewrites docs/benchmarks.md.
(cd examples/e2e && go test -tags e2e -count=1 -v -timeout "${DGEN_E2E_TIMEOUT:-55m}" .) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

took=$(($(date +%s) - started))
say "run.sh took $((took / 60))m$((took % 60))s"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1 || true)
if [ -z "$summary" ]; then
	say "the test stopped before checking any example (see $log)"
	printf '0 passed, 1 failed\n'
	exit 1
fi
grep -E '^e2e: (PASS|FAIL|SKIP|podman|docker|load) ' "$log" || true
printf '%s\n' "$summary"
exit "$status"
