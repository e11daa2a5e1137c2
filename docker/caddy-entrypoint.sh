#!/bin/sh
# Entrypoint of the `proxy` service (official Caddy image). Reads the one configuration file,
# .env.production (compose env_file), and starts Caddy with only what the Caddyfile needs:
#   DOMAIN      site address; default: the host[:port] of APP_URL (https://tandem.example.com)
#   ACME_EMAIL  contact for Let's Encrypt / ZeroSSL expiry notices; default: MAIL_FROM_ADDRESS
# Every other variable (APP_KEY, DB_PASSWORD, SMTP_PASSWORD, ...) is dropped from Caddy's
# environment.
set -eu

if [ -z "${DOMAIN:-}" ]; then
  url="${APP_URL:?APP_URL is not set: is .env.production complete?}"
  url="${url#*://}"
  DOMAIN="${url%%/*}"
fi
ACME_EMAIL="${ACME_EMAIL:-${MAIL_FROM_ADDRESS:-}}"
if [ -z "$ACME_EMAIL" ]; then
  echo "caddy-entrypoint: set ACME_EMAIL (or MAIL_FROM_ADDRESS) in .env.production" >&2
  exit 1
fi

echo "caddy-entrypoint: serving https://$DOMAIN"
exec env -i \
  PATH="$PATH" \
  HOME="${HOME:-/root}" \
  XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-/config}" \
  XDG_DATA_HOME="${XDG_DATA_HOME:-/data}" \
  DOMAIN="$DOMAIN" \
  ACME_EMAIL="$ACME_EMAIL" \
  caddy run --config /etc/caddy/Caddyfile --adapter caddyfile "$@"
