#!/bin/sh
# Entrypoint of the node stand-in, as in the official node image: a first
# argument that is an option or not a command runs under node; anything else
# is exec'd as is, so the command stays PID 1.
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
	set -- node "$@"
fi
exec "$@"
