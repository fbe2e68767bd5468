#!/usr/bin/env bash
# Re-fetches the front-end files Frontdesk ships, unmodified, from the npm registry at pinned
# versions, with their licences. Run by `make vendor`; the result is committed, so installing
# and running Frontdesk needs neither npm nor the network.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=src/frontdesk/web/static/vendor

# name@version, then the files to keep from the package
fetch() {
  local spec=$1; shift
  local name=${spec%@*}
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
  rm -rf "${DEST:?}/$name"
  mkdir -p "$DEST/$name"
  for file in "$@" package.json; do
    cp "$work/package/$file" "$DEST/$name/"
  done
  # Licence files are named in several ways; keep whichever the package has.
  find "$work/package" -maxdepth 1 -iname 'licen[cs]e*' -exec cp {} "$DEST/$name/" \;
  rm -rf "$work"
  echo "vendored $spec"
}

# Swagger UI for /docs, so the API reference works offline.
fetch swagger-ui-dist@5.35.0 swagger-ui-bundle.js swagger-ui.css
