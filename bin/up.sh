#!/usr/bin/env bash
# `npm run up`: from a fresh clone to a running Tandem on http://localhost:3333, with SQLite and
# no other services. Safe to run again: it keeps your .env and data, and re-seeds nothing twice.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/ensure_node.sh

echo "==> Installing dependencies (npm ci)"
npm ci --no-audit --no-fund

if [ ! -f .env ]; then
  echo "==> Writing .env for the local profile (SQLite, no Redis)"
  node ace env:init local
fi

echo "==> Creating and migrating the SQLite database"
node ace migration:run

echo "==> Seeding the demo company"
node ace db:seed

echo "==> Building the app and its assets"
npm run build

echo "==> Starting Tandem (Ctrl-C stops it)"
exec npm start
