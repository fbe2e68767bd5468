#!/usr/bin/env bash
# Re-fetches the front-end files Frontdesk ships, unmodified, from the npm registry at pinned
# versions, with their licences. Run by `make vendor`; the result is committed, so installing
# and running Frontdesk needs neither npm nor the network.
set -euo pipefail
cd "$(dirname "$0")/.."
STATIC=src/frontdesk/web/static/vendor   # shipped with the app
TESTS=tests/web/vendor                   # used by the tests only, not packaged

# destination folder, name@version, then the files to keep from the package
fetch() {
  local DEST=$1 spec=$2; shift 2
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
fetch "$STATIC" swagger-ui-dist@5.35.0 swagger-ui-bundle.js swagger-ui.css
# axe-core for the accessibility check every page gets in Chromium (tests/web/test_a11y.py).
fetch "$TESTS" axe-core@4.14.1 axe.min.js
