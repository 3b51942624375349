#!/usr/bin/env bash
# Entrypoint of the postgres stand-in, doing what the official image's
# docker-entrypoint.sh does: as root it makes PGDATA the postgres user's and
# starts again as that user (gosu); on the first start only (no PG_VERSION
# in PGDATA) it runs initdb with POSTGRES_USER and POSTGRES_PASSWORD, adds
# password (scram-sha-256) access from every host, creates POSTGRES_DB and
# runs /docker-entrypoint-initdb.d/*.sh and *.sql through a server that
# listens on its socket only; then it execs postgres, which listens on 5432
# on all interfaces. A data folder that holds a database is used as it is:
# the variables then change nothing, as with the official image.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" != postgres ]; then
	exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA"
	find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
	mkdir -p /var/run/postgresql
	chown postgres /var/run/postgresql
	chmod 03775 /var/run/postgresql
	exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

if [ -s "$PGDATA/PG_VERSION" ]; then
	echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
	exec "$@"
fi

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
	cat >&2 <<-'EOM'
		Error: Database is uninitialized and superuser password is not specified.
		       You must specify POSTGRES_PASSWORD to a non-empty value for the
		       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
	EOM
	exit 1
fi

# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words
initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") ${POSTGRES_INITDB_ARGS:-}
printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

export PGUSER=$POSTGRES_USER PGPASSWORD=${POSTGRES_PASSWORD:-}
pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
if [ "$POSTGRES_DB" != postgres ]; then
	"${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
		CREATE DATABASE :"db" ;
	EOSQL
fi
for f in /docker-entrypoint-initdb.d/*; do
	case $f in
	*.sh) echo "running $f"; . "$f" ;;
	*.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
	*) ;;
	esac
done
pg_ctl -D "$PGDATA" -m fast -w stop
unset PGPASSWORD
echo 'PostgreSQL init process complete; ready for start up.'
exec "$@"
