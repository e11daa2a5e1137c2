#!/bin/sh
# Entrypoint wrapper for the database services (postgres, and mariadb in compose.mysql.yaml).
# The official images read POSTGRES_* / MARIADB_* variables; Tandem's .env.production has
# DB_USER, DB_PASSWORD and DB_DATABASE. Mapping them here keeps one source of truth: the
# database is created with exactly the credentials the app connects with.
# Only used when the data directory is empty (first start): changing DB_PASSWORD later does
# not change the database user's password (see docs/deployment.md).
set -eu

: "${DB_USER:?DB_USER is not set: is .env.production complete?}"
: "${DB_PASSWORD:?DB_PASSWORD is not set: the database needs a password}"
: "${DB_DATABASE:?DB_DATABASE is not set: is .env.production complete?}"

export POSTGRES_USER="$DB_USER" POSTGRES_PASSWORD="$DB_PASSWORD" POSTGRES_DB="$DB_DATABASE"
export MARIADB_USER="$DB_USER" MARIADB_PASSWORD="$DB_PASSWORD" MARIADB_DATABASE="$DB_DATABASE"
# MariaDB's root account is not used by Tandem: give it a random password (printed once in the
# first start's log) unless one is provided.
if [ -z "${MARIADB_ROOT_PASSWORD:-}" ]; then export MARIADB_RANDOM_ROOT_PASSWORD=1; fi

exec "$@"
