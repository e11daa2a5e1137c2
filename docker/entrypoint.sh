#!/bin/sh
# Entrypoint of the Tandem image: wait until the database (and Redis, when REDIS_HOST is set)
# accept TCP connections, then exec the command (default: node bin/server.js). `exec` replaces
# this shell, so Node itself receives SIGTERM (directly, or from tini with compose `init: true`).
#
# It never migrates: migrations run once per deploy in the one-shot `migrate` service
# (`node ace.js migration:run --force`), not in every web replica.
#
#   WAIT_TIMEOUT  seconds to wait for each service (default 60; 0 skips waiting)
set -eu

wait_timeout="${WAIT_TIMEOUT:-60}"

# wait_for NAME HOST PORT: polls with Node's net module (the slim image has no nc/curl).
# The script is JavaScript in single quotes on purpose: its ${...} are template literals.
wait_for() {
  # shellcheck disable=SC2016
  node -e '
    const net = require("node:net")
    const [name, host, port, timeout] = process.argv.slice(1)
    const deadline = Date.now() + Number(timeout) * 1000
    let said = false
    const attempt = () => {
      const socket = net.connect({ host, port: Number(port) })
      socket.setTimeout(2000)
      socket.once("connect", () => { socket.end(); process.exit(0) })
      const retry = (error) => {
        socket.destroy()
        if (Date.now() > deadline) {
          console.error(`entrypoint: ${name} at ${host}:${port} still unreachable after ${timeout}s (${error?.code ?? error?.message ?? "timeout"})`)
          process.exit(1)
        }
        if (!said) console.error(`entrypoint: waiting for ${name} at ${host}:${port}...`)
        said = true
        setTimeout(attempt, 1000)
      }
      socket.once("error", retry)
      socket.once("timeout", () => retry(new Error("timeout")))
    }
    attempt()
  ' "$1" "$2" "$3" "$wait_timeout"
}

if [ "$wait_timeout" != "0" ]; then
  case "${DB_CONNECTION:-sqlite}" in
    pg) wait_for PostgreSQL "${DB_HOST:?DB_HOST is required when DB_CONNECTION=pg}" "${DB_PORT:-5432}" ;;
    mysql) wait_for MySQL "${DB_HOST:?DB_HOST is required when DB_CONNECTION=mysql}" "${DB_PORT:-3306}" ;;
  esac
  if [ -n "${REDIS_HOST:-}" ]; then
    wait_for Redis "$REDIS_HOST" "${REDIS_PORT:-6379}"
  fi
fi

exec "$@"
