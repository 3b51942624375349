#!/usr/bin/env bash
# standins.sh IMAGE... — make local stand-ins for the base images that dgen's
# Dockerfiles name, tagged under those names, so `buildah bud --pull=never`
# works on a machine that reaches no container registry.
#
# Each stand-in is built from Debian packages (debootstrap, apt) and the
# host's own Go and Node, shaped like the official image it replaces: same
# paths, users, ports and entrypoints, so a Dockerfile that works here works
# with the real image. An image that already exists is not built again.
# A name this script does not know fails at once, naming the image.
#
# docs/real-builds.md explains the set-up; run.sh calls this script.
#
# The scripts given to `buildah run … sh -c` are single-quoted on purpose:
# they expand inside the container.
# shellcheck disable=SC2016
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${DGEN_E2E_STATE:-/var/tmp/dgen-e2e}
BASE=localhost/dgen-e2e/debian-base:trixie
SUITE=trixie
FALLBACK_SUITE=bookworm

log() { printf 'standins: %s\n' "$*" >&2; }
die() { printf 'standins: error: %s\n' "$*" >&2; exit 1; }

# retry N CMD... runs CMD up to N times: Debian mirrors and the npm registry
# drop a connection now and then, and one flake must not fail the whole run.
retry() {
	local n=$1 i
	shift
	for ((i = 1; i <= n; i++)); do
		if "$@"; then return 0; fi
		[ "$i" -lt "$n" ] && log "attempt $i of $n failed: $*; retrying" && sleep $((i * 3))
	done
	return 1
}

# normalize turns a FROM reference into the fully qualified name that
# short-name resolution finds with --pull=never (golang:1.26 becomes
# docker.io/library/golang:1.26).
normalize() {
	local ref=$1 first=${1%%/*}
	if [[ $ref != */* ]]; then
		ref=docker.io/library/$ref
	elif [[ $first != *.* && $first != *:* && $first != localhost ]]; then
		ref=docker.io/$ref
	fi
	printf '%s\n' "$ref"
}

# RECIPE identifies this script and its files: a stand-in built by another
# version of them is built again.
RECIPE=$(cat "$HERE/standins.sh" "$HERE"/standins/* | sha256sum | cut -c1-12)

# exists reports whether image exists and was built by this recipe.
exists() {
	[ "$(podman image inspect --format '{{index .Labels "dgen.e2e.recipe"}}' "$1" 2>/dev/null)" = "$RECIPE" ]
}

# mirror prints the Debian mirror the host's apt uses, so the stand-ins come
# from the same place as the host's packages; empty means debootstrap's own
# default.
mirror() {
	local m
	m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
	if [ -z "$m" ]; then
		m=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
	fi
	printf '%s\n' "$m"
}

# bootstrap SUITE ROOTFS installs a minimal Debian into ROOTFS.
bootstrap() {
	local suite=$1 rootfs=$2 m
	m=$(mirror)
	rm -rf "$rootfs"
	printf '== debootstrap %s, %s\n' "$suite" "$(date -u)" >>"$STATE/debootstrap.log"
	# shellcheck disable=SC2086 # $m is empty or one URL
	debootstrap --variant=minbase "$suite" "$rootfs" $m >>"$STATE/debootstrap.log" 2>&1
}

# debian_base builds the Debian root file system every other stand-in starts
# from: debootstrap minbase, trimmed and configured like the official slim
# images, with the host's extra CA certificates in place (HTTPS from this
# machine goes through a proxy the host trusts).
debian_base() {
	exists "$BASE" && return 0
	local rootfs=$STATE/rootfs suite=$SUITE
	mkdir -p "$STATE"
	log "debootstrap $suite (about a minute)"
	if ! retry 3 bootstrap "$suite" "$rootfs"; then
		log "debootstrap $suite failed (see $STATE/debootstrap.log); using $FALLBACK_SUITE under the $SUITE tags"
		suite=$FALLBACK_SUITE
		retry 3 bootstrap "$suite" "$rootfs" || die "debootstrap $suite failed: see $STATE/debootstrap.log"
	fi
	# The official slim images keep docs, man pages and locales out.
	cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
	# Same apt clean-up hook as the official images (Dockerfiles that use an
	# apt cache mount remove it, so it has to be there to be removed).
	cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
	printf 'Acquire::Languages "none";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
	printf 'Acquire::Retries "3";\n' >"$rootfs/etc/apt/apt.conf.d/80-retries"
	# Updates as well as the release, like the official sources list.
	local release
	release=$(head -n1 "$rootfs/etc/apt/sources.list")
	printf '%s\n' "${release/ $suite / $suite-updates }" >>"$rootfs/etc/apt/sources.list"
	# The certificates are picked up by update-ca-certificates whenever an
	# image installs the ca-certificates package.
	mkdir -p "$rootfs/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
	rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
		"$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
		"$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log "$rootfs"/tmp/*
	tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change 'CMD ["bash"]' \
		--change "LABEL dgen.e2e.debian=$suite/$(cat "$rootfs/etc/debian_version")" \
		--change "LABEL dgen.e2e.recipe=$RECIPE" \
		- "$BASE" >/dev/null
	rm -rf "$rootfs"
	log "built $BASE from Debian $suite"
}

# apt_in CONTAINER PACKAGES... installs Debian packages into a working
# container and leaves no apt lists behind.
apt_in() {
	local ctr=$1
	shift
	retry 3 buildah run "$ctr" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null' sh "$@"
	buildah run "$ctr" -- sh -c 'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log'
}

# commit CONTAINER NAME saves a working container as a Docker-format image
# (the OCI format has no HEALTHCHECK and no STOPSIGNAL-compatible fields).
commit() {
	buildah config --label "dgen.e2e.recipe=$RECIPE" "$1"
	buildah commit --quiet --rm --format docker "$1" "$2" >/dev/null
	log "built $2"
}

# tag SOURCE REF... tags a built stand-in under the names the Dockerfiles use.
tag() {
	local src=$1 ref
	shift
	for ref in "$@"; do
		podman tag "$src" "$ref"
		log "tagged $ref"
	done
}

std_env=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

# debian:trixie-slim — the plain base, as the official slim image (which has
# no ca-certificates package either).
build_debian() {
	debian_base
	tag "$BASE" "$@"
}

# golang:<minor>-trixie — buildpack-deps:scm + gcc + Go. Go is the host's
# own toolchain whatever the tag says (a registry would give the exact one);
# GOTOOLCHAIN=local keeps `go` from trying to download another.
build_golang() {
	local img=localhost/dgen-e2e/golang:host ctr
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		apt_in "$ctr" ca-certificates netbase curl git openssh-client procps gcc libc6-dev make pkg-config
		buildah copy --quiet "$ctr" /usr/local/go /usr/local/go >/dev/null
		buildah run "$ctr" -- sh -c 'mkdir -p /go/src /go/bin && chmod -R 1777 /go'
		buildah config --env GOLANG_VERSION="$(head -n1 /usr/local/go/VERSION | sed 's/^go//')" \
			--env GOTOOLCHAIN=local --env GOPATH=/go \
			--env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			--workingdir /go --cmd bash "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$@"
}

# gcr.io/distroless/static-debian13:nonroot — scratch with a CA bundle,
# tzdata, and passwd/group naming nonroot 65532. No shell, no libc.
build_distroless_static() {
	local img=localhost/dgen-e2e/distroless-static:nonroot ctr root
	if ! exists "$img"; then
		debian_base
		# Gather the files in a Debian container, then copy them onto scratch.
		ctr=$(buildah from --pull=never "$BASE")
		apt_in "$ctr" ca-certificates tzdata
		buildah run "$ctr" -- sh -c '
			set -e
			mkdir -p /out/etc/ssl/certs /out/usr/share /out/home/nonroot /out/root /out/tmp
			cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/
			cp -a /usr/share/zoneinfo /out/usr/share/
			printf "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n" >/out/etc/passwd
			printf "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n" >/out/etc/group
			printf "hosts: files dns\n" >/out/etc/nsswitch.conf
			chown 65532:65532 /out/home/nonroot
			chmod 700 /out/root
			chmod 1777 /out/tmp'
		root=$(buildah mount "$ctr")
		local out
		out=$(buildah from scratch)
		buildah copy --quiet "$out" "$root/out/" / >/dev/null
		buildah umount "$ctr" >/dev/null
		buildah rm "$ctr" >/dev/null
		buildah config --env PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
			--env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
			--user 65532 --workingdir /home/nonroot "$out"
		commit "$out" "$img"
	fi
	tag "$img" "$@"
}

# busybox:<v>-musl — Debian's statically linked busybox on scratch with a
# link per applet, like the official image. dgen's Go images copy
# /bin/busybox out of it to run their health probe.
build_busybox() {
	local img=localhost/dgen-e2e/busybox:static ctr out root
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		apt_in "$ctr" busybox-static
		root=$(buildah mount "$ctr")
		out=$(buildah from scratch)
		buildah copy --quiet "$out" "$root/bin/busybox" /bin/busybox >/dev/null
		buildah umount "$ctr" >/dev/null
		buildah rm "$ctr" >/dev/null
		# busybox --install -s makes the applet links; it runs with the
		# image's own binary, so no shell from elsewhere is needed.
		buildah run "$out" -- /bin/busybox mkdir -p /usr/bin /sbin /usr/sbin /tmp /root /etc
		buildah run "$out" -- /bin/busybox --install -s /bin
		buildah run "$out" -- /bin/busybox chmod 1777 /tmp
		buildah run "$out" -- /bin/busybox sh -c 'printf "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n" >/etc/passwd; printf "root:x:0:\nnobody:x:65534:\n" >/etc/group'
		buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd sh "$out"
		commit "$out" "$img"
	fi
	tag "$img" "$@"
}

# python:<minor>-slim-trixie — Debian's python3 (3.13 on trixie) with the
# official image's names: python/pip in /usr/local/bin, pip allowed to
# install outside a venv, LANG and PYTHON_VERSION set.
build_python() {
	local img=localhost/dgen-e2e/python:debian ctr ver
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		apt_in "$ctr" ca-certificates netbase tzdata python3 python3-pip python3-venv
		buildah run "$ctr" -- sh -c '
			set -e
			for n in python python3; do ln -sf /usr/bin/python3 /usr/local/bin/$n; done
			for n in pip pip3; do ln -sf /usr/bin/pip3 /usr/local/bin/$n; done
			rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
			find /usr/lib/python3* -name __pycache__ -prune -exec rm -rf {} +'
		ver=$(buildah run "$ctr" -- python3 -c 'import platform; print(platform.python_version())')
		buildah config "${std_env[@]}" --env LANG=C.UTF-8 --env PYTHON_VERSION="$ver" --cmd python3 "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$@"
}

# node:<major>-trixie-slim — Node under the official image's names: user
# node 1000:1000, Yarn 1 installed globally, corepack, and the same
# docker-entrypoint.sh. Node, npm and corepack are the host's, copied to
# /usr/local (a registry would give the exact version the tag names); on a
# machine without Node they are Debian's packages instead.
# COREPACK_INTEGRITY_KEYS, COREPACK_NPM_REGISTRY and NODE_EXTRA_CA_CERTS
# exist only because of this machine's network (the npm registry reached
# here serves unsigned metadata, Yarn's own download site is not reachable
# so corepack takes Yarn from the npm registry, HTTPS goes through a proxy):
# a generated Dockerfile must not need them.
build_node() {
	local img=localhost/dgen-e2e/node:host ctr nodebin npmdir cpdir
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		if nodebin=$(command -v node); then
			# npm and corepack live in the folders their launchers point into.
			npmdir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
			[ -f "$npmdir/package.json" ] || die "cannot find npm's folder next to $nodebin"
			apt_in "$ctr" ca-certificates libstdc++6
			buildah copy --quiet "$ctr" "$(readlink -f "$nodebin")" /usr/local/bin/node >/dev/null
			buildah copy --quiet "$ctr" "$npmdir" /usr/local/lib/node_modules/npm >/dev/null
			if command -v corepack >/dev/null; then
				cpdir=$(dirname "$(dirname "$(readlink -f "$(command -v corepack)")")")
				buildah copy --quiet "$ctr" "$cpdir" /usr/local/lib/node_modules/corepack >/dev/null
			fi
			buildah run "$ctr" -- sh -c '
				set -e
				ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
				ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
				if [ -d /usr/local/lib/node_modules/corepack ]; then
					ln -sf ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack
				fi'
		else
			log "no node on this machine: the node stand-in uses Debian's nodejs, npm and corepack"
			apt_in "$ctr" ca-certificates nodejs npm node-corepack
			buildah run "$ctr" -- ln -sf /usr/bin/node /usr/local/bin/node
		fi
		local registry
		registry=$(buildah run "$ctr" -- npm config get registry 2>/dev/null | sed 's:/*$::')
		buildah config "${std_env[@]}" --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
			--env COREPACK_INTEGRITY_KEYS=0 ${registry:+--env COREPACK_NPM_REGISTRY=$registry} "$ctr"
		buildah run "$ctr" -- sh -c '
			set -e
			groupadd --gid 1000 node
			useradd --uid 1000 --gid node --shell /bin/bash --create-home node
			node --version >/dev/null'
		retry 3 buildah run "$ctr" -- sh -c 'npm install --global --no-fund --no-audit --no-update-notifier --loglevel=error yarn@1 >/dev/null'
		buildah run "$ctr" -- sh -c 'npm cache clean --force >/dev/null 2>&1; rm -rf /root/.npm /root/.cache /tmp/*'
		buildah copy --quiet "$ctr" "$HERE/standins/docker-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh >/dev/null
		buildah run "$ctr" -- chmod 755 /usr/local/bin/docker-entrypoint.sh
		buildah config --env NODE_VERSION="$(buildah run "$ctr" -- node --version | sed 's/^v//')" \
			--env YARN_VERSION="$(buildah run "$ctr" -- yarn --version)" --cmd '' "$ctr"
		# Entrypoint before cmd: Buildah warns when an entrypoint is set
		# over an existing cmd.
		buildah config --entrypoint '["docker-entrypoint.sh"]' "$ctr"
		buildah config --cmd node "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$@"
}

# nginxinc/nginx-unprivileged:<v> — Debian's nginx arranged like the
# official unprivileged image: user nginx 101:101, port 8080, pid and temp
# files under /tmp, /etc/nginx/conf.d/default.conf, /usr/share/nginx/html,
# logs to stdout/stderr, and curl (the official Debian images ship it).
build_nginx_unprivileged() {
	local img=localhost/dgen-e2e/nginx-unprivileged:debian ctr
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		apt_in "$ctr" ca-certificates curl nginx
		buildah copy --quiet "$ctr" "$HERE/standins/nginx.conf" /etc/nginx/nginx.conf >/dev/null
		buildah copy --quiet "$ctr" "$HERE/standins/nginx-default.conf" /etc/nginx/conf.d/default.conf >/dev/null
		buildah run "$ctr" -- sh -c '
			set -e
			getent group nginx >/dev/null || groupadd --system --gid 101 nginx
			getent passwd nginx >/dev/null || useradd --system --uid 101 --gid 101 --no-create-home --home-dir /nonexistent --shell /bin/false nginx
			[ "$(id -u nginx)" = 101 ]
			rm -rf /etc/nginx/sites-enabled /etc/nginx/sites-available /etc/nginx/modules-enabled /var/www
			mkdir -p /usr/share/nginx/html /var/cache/nginx /var/log/nginx
			printf "<!doctype html><title>Welcome to nginx!</title><h1>Welcome to nginx!</h1>\n" >/usr/share/nginx/html/index.html
			printf "<!doctype html><title>Error</title><h1>An error occurred.</h1>\n" >/usr/share/nginx/html/50x.html
			ln -sf /dev/stdout /var/log/nginx/access.log
			ln -sf /dev/stderr /var/log/nginx/error.log
			chown -R 101:0 /var/cache/nginx /var/log/nginx /etc/nginx /usr/share/nginx/html
			chmod -R g+w /var/cache/nginx /etc/nginx
			nginx -t -q
			# nginx -t ran as root: its pid file and temp folders would
			# keep user 101 from starting.
			rm -rf /tmp/* /var/cache/nginx/*'
		buildah config "${std_env[@]}" --port 8080 --stop-signal SIGQUIT --user 101 \
			--cmd '["nginx","-g","daemon off;"]' "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$@"
}

# oven/bun:<v>[-variant] — bun from the npm registry (the `bun` package
# ships the binary, in the version the tag names when there is one) on the
# Debian base, user bun 1000:1000 like the official image.
build_bun() {
	local ref=$1 ver img ctr tmp root
	ver=${ref##*:}
	ver=${ver%%-*}
	[[ $ver =~ ^[0-9]+(\.[0-9]+)*$ ]] || ver=1
	img=localhost/dgen-e2e/bun:$ver
	if ! exists "$img"; then
		build_node localhost/dgen-e2e/node:host
		tmp=$(buildah from --pull=never localhost/dgen-e2e/node:host)
		retry 3 buildah run "$tmp" -- sh -c 'cd /tmp && npm install --no-fund --no-audit --no-update-notifier --loglevel=error "bun@$1" >/dev/null' sh "$ver"
		root=$(buildah mount "$tmp")
		[ -x "$root/tmp/node_modules/bun/bin/bun.exe" ] || die "the bun npm package has no bin/bun.exe: its layout has changed"
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		apt_in "$ctr" ca-certificates
		buildah copy --quiet "$ctr" "$root/tmp/node_modules/bun/bin/bun.exe" /usr/local/bin/bun >/dev/null
		buildah umount "$tmp" >/dev/null
		buildah rm "$tmp" >/dev/null
		buildah run "$ctr" -- sh -c '
			set -e
			chmod 755 /usr/local/bin/bun
			ln -sf bun /usr/local/bin/bunx
			groupadd --gid 1000 bun
			useradd --uid 1000 --gid bun --shell /bin/sh --create-home bun
			mkdir -p /home/bun/app
			bun --version >/dev/null'
		buildah config "${std_env[@]}" --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
			--env BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 --env BUN_INSTALL_BIN=/usr/local/bin \
			--workingdir /home/bun/app --cmd '["/usr/local/bin/bun"]' "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$ref"
}

# postgres:<major>-trixie — Debian's PostgreSQL server (17 on trixie,
# whatever the tag says) arranged like the official image: user postgres
# 999:999, PGDATA=/var/lib/postgresql/<major>/docker under the volume
# /var/lib/postgresql (the layout of the official image from 18 on; the
# major is the tag's), the server's bin folder on PATH (pg_ctl, initdb,
# pg_isready), listen_addresses='*' in the sample configuration initdb
# copies, STOPSIGNAL SIGINT (fast shutdown), and an entrypoint that
# initialises the database from POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB
# on the first start only (standins/postgres-entrypoint.sh).
build_postgres() {
	local ref=$1 major img ctr pgbin ver sample
	major=${ref##*:}
	major=${major%%[.-]*}
	[[ $major =~ ^[0-9]+$ ]] || die "postgres stand-in: no major version in the tag of $ref"
	img=localhost/dgen-e2e/postgres:$major
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		# The user first, with the official image's ids; the packages
		# keep an existing one.
		buildah run "$ctr" -- sh -c '
			set -e
			groupadd -r postgres --gid=999
			useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres
			mkdir -p /var/lib/postgresql
			chown postgres:postgres /var/lib/postgresql
			printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d
			chmod 755 /usr/sbin/policy-rc.d'
		# No cluster from the package: the entrypoint makes one in PGDATA
		# on the first start, as the official image does.
		apt_in "$ctr" postgresql-common
		buildah run "$ctr" -- sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf
		apt_in "$ctr" postgresql gosu
		pgbin=$(buildah run "$ctr" -- sh -c 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1')
		ver=$(buildah run "$ctr" -- "$pgbin/postgres" --version | sed -n 's/.*(PostgreSQL) \([0-9.]*\).*/\1/p')
		sample=/usr/share/postgresql/$(basename "$(dirname "$pgbin")")/postgresql.conf.sample
		buildah run "$ctr" -- sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
		buildah run "$ctr" -- grep -q "^listen_addresses = '\*'" "$sample"
		buildah run "$ctr" -- sh -c '
			set -e
			rm -f /usr/sbin/policy-rc.d
			mkdir -p /var/run/postgresql /docker-entrypoint-initdb.d
			chown postgres:postgres /var/run/postgresql
			chmod 03775 /var/run/postgresql'
		buildah copy --quiet "$ctr" "$HERE/standins/postgres-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh >/dev/null
		buildah run "$ctr" -- chmod 755 /usr/local/bin/docker-entrypoint.sh
		buildah config --env PATH="$pgbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
			--env LANG=C.UTF-8 --env PG_MAJOR="$major" --env PG_VERSION="$ver" \
			--env PGDATA="/var/lib/postgresql/$major/docker" --volume /var/lib/postgresql \
			--port 5432 --stop-signal SIGINT --label "dgen.e2e.server=PostgreSQL $ver from Debian" --cmd '' "$ctr"
		buildah config --entrypoint '["docker-entrypoint.sh"]' "$ctr"
		buildah config --cmd postgres "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$ref"
}

# redis:<v>-trixie — Debian's redis-server (8.0 on trixie, whatever the tag
# says) arranged like the official image: user redis 999:999, WORKDIR and
# volume /data, port 6379, redis-cli, and the official entrypoint's start
# as root then as redis (standins/redis-entrypoint.sh), which also turns
# protected mode off as the official build does.
build_redis() {
	local ref=$1 img=localhost/dgen-e2e/redis:debian ctr ver
	if ! exists "$img"; then
		debian_base
		ctr=$(buildah from --pull=never "$BASE")
		buildah run "$ctr" -- sh -c '
			set -e
			groupadd -r -g 999 redis
			useradd -r -g redis -u 999 --home-dir /data --shell /usr/sbin/nologin redis
			printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d
			chmod 755 /usr/sbin/policy-rc.d'
		apt_in "$ctr" redis-server gosu
		ver=$(buildah run "$ctr" -- redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
		buildah run "$ctr" -- sh -c '
			set -e
			rm -f /usr/sbin/policy-rc.d
			mkdir -p /data
			chown redis:redis /data
			redis-cli --version >/dev/null'
		buildah copy --quiet "$ctr" "$HERE/standins/redis-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh >/dev/null
		buildah run "$ctr" -- chmod 755 /usr/local/bin/docker-entrypoint.sh
		buildah config "${std_env[@]}" --env REDIS_VERSION="$ver" --volume /data --workingdir /data \
			--port 6379 --label "dgen.e2e.server=Redis $ver from Debian" --cmd '' "$ctr"
		buildah config --entrypoint '["docker-entrypoint.sh"]' "$ctr"
		buildah config --cmd redis-server "$ctr"
		commit "$ctr" "$img"
	fi
	tag "$img" "$ref"
}

# kind prints which stand-in serves a fully qualified reference, or fails.
kind() {
	case $1 in
	docker.io/library/golang:*-trixie) echo golang ;;
	gcr.io/distroless/static-debian13:nonroot) echo distroless_static ;;
	docker.io/library/debian:trixie-slim | docker.io/library/debian:trixie | docker.io/library/debian:13-slim | docker.io/library/debian:13) echo debian ;;
	docker.io/library/busybox:*-musl | docker.io/library/busybox:*-glibc) echo busybox ;;
	docker.io/library/python:*-slim-trixie) echo python ;;
	docker.io/library/node:*-trixie-slim) echo node ;;
	docker.io/nginxinc/nginx-unprivileged:*alpine*) return 1 ;;
	docker.io/nginxinc/nginx-unprivileged:*) echo nginx_unprivileged ;;
	docker.io/oven/bun:*alpine* | docker.io/oven/bun:*distroless*) return 1 ;;
	docker.io/oven/bun:*) echo bun ;;
	docker.io/library/postgres:*-trixie) echo postgres ;;
	docker.io/library/redis:*-trixie) echo redis ;;
	*) return 1 ;;
	esac
}

main() {
	[ "$#" -gt 0 ] || die "usage: standins.sh IMAGE..."
	# Stand-ins named like official images must not land in the machine's
	# own image storage, where they would shadow the real ones.
	[ -n "${CONTAINERS_STORAGE_CONF:-}" ] || die "CONTAINERS_STORAGE_CONF is not set: run examples/e2e/run.sh, which gives the stand-ins a storage of their own"
	local ref full k
	# Check every name before building anything, so a new image name fails in
	# a second rather than after the first five minutes.
	for ref in "$@"; do
		full=$(normalize "$ref")
		k=$(kind "$full") || die "no stand-in for image $ref ($full): add one to examples/e2e/standins.sh (alpine and registry-only tools such as uv cannot be made here)"
	done
	for ref in "$@"; do
		full=$(normalize "$ref")
		if exists "$full"; then
			continue
		fi
		k=$(kind "$full")
		"build_$k" "$full"
	done
}

# Run main unless sourced (the functions can then be tried one by one).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
