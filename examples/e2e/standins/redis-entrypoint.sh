#!/usr/bin/env bash
# Entrypoint of the redis stand-in, as in the official image: options or a
# .conf file alone run redis-server with them; as root, redis-server's
# folder (/data) is made the redis user's and it starts again as that user
# (gosu). The official image's redis-server is built with protected mode
# off, so it answers clients on the container network without a password;
# Debian's is built with it on, so it is turned off here, before the
# caller's options (which may turn it on again).
set -euo pipefail

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec gosu redis "${BASH_SOURCE[0]}" "$@"
fi

if [ "$1" = redis-server ]; then
	shift
	conf=()
	if [ "$#" -gt 0 ] && [ "${1%.conf}" != "$1" ]; then
		conf=("$1")
		shift
	fi
	set -- redis-server "${conf[@]}" --protected-mode no "$@"
	um=$(umask)
	if [ "$um" = 0022 ]; then
		umask 0077
	fi
fi

exec "$@"
