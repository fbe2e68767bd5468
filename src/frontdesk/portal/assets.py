"""The portal page's assets as a customer's browser should fetch them on a first visit: its
stylesheets as one response, and the list of modules its script always imports, which the
page declares as module preloads so that they are all fetched in one round instead of level
by level as the browser discovers them.

No build step: the sources stay as they are under web/static and portal/static. The joined
stylesheet and the import list are worked out from them when first asked for, and again
whenever a source changes (one stat per source per page view), so an edit shows on reload
without restarting the server.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path

from frontdesk.kit.static_files import Compressed
from frontdesk.web.templating import STATIC_DIR

PORTAL_STATIC = Path(__file__).parent / "static"
ROOTS: Mapping[str, Path] = {"/portal-static/": PORTAL_STATIC, "/static/": STATIC_DIR}
# The chat's stylesheets in cascade order: the shared tokens and base, then the chat's own
# (chat-modes.css last: its overrides must win).
STYLESHEETS = (
    "/static/css/tokens.css",
    "/static/css/base.css",
    "/portal-static/css/chat-frame.css",
    "/portal-static/css/chat-messages.css",
    "/portal-static/css/chat-files.css",
    "/portal-static/css/chat-modes.css",
)
STYLESHEET_URL = "/portal-static/chat.css"
SCRIPT_URL = "/portal-static/chat.js"
# Static imports only, on one line or spread over several: `import { a } from "x";`,
# `import "x";`, `export { a } from "x";`. import() calls load on first use: never preloaded.
_STATIC_IMPORT = re.compile(
    r'^[ \t]*(?:import|export)[ \t]+(?:[\w$*{},\s]+?[ \t]from[ \t]*)?["\']([^"\']+)["\']', re.M
)

Stamp = tuple[tuple[str, int, int], ...]


class PortalAssets:
    """The joined stylesheet and the preload list, redone when a source file changes."""

    def __init__(
        self,
        roots: Mapping[str, Path] = ROOTS,
        stylesheets: tuple[str, ...] = STYLESHEETS,
        script: str = SCRIPT_URL,
    ) -> None:
        self.roots = roots
        self.stylesheets = stylesheets
        self.script = script
        self._stylesheet: tuple[Stamp, Compressed] | None = None
        self._preloads: tuple[Stamp, tuple[str, ...]] | None = None

    def file_of(self, url: str) -> Path:
        """The source file behind a static URL."""
        for prefix, root in self.roots.items():
            if url.startswith(prefix):
                return root / url.removeprefix(prefix)
        raise ValueError(f"{url} is not under {', '.join(self.roots)}")

    def stylesheet(self) -> Compressed:
        # Stamped before reading: a file that changes in between is read again next time.
        stamp = self._stamp(self.stylesheets)
        if self._stylesheet is None or self._stylesheet[0] != stamp:
            self._stylesheet = (stamp, self._join(self.stylesheets))
        return self._stylesheet[1]

    def stylesheet_url(self) -> str:
        # Named by its content: the URL changes whenever the CSS does, so it may be cached.
        return f"{STYLESHEET_URL}?v={self.stylesheet().tag}"

    def preloads(self) -> tuple[str, ...]:
        """Every module the script imports statically, transitively, in the order first met."""
        # The modules found last time decide what is imported: if none changed, nor did the list.
        if self._preloads is not None:
            stamp, modules = self._preloads
            if self._stamp((self.script, *modules)) == stamp:
                return modules
        modules = self._static_imports(self.script)
        self._preloads = (self._stamp((self.script, *modules)), modules)
        return modules

    def _stamp(self, urls: tuple[str, ...]) -> Stamp:
        stats = ((url, self.file_of(url).stat()) for url in urls)
        return tuple((url, st.st_mtime_ns, st.st_size) for url, st in stats)

    def _join(self, urls: tuple[str, ...]) -> Compressed:
        # No url() or @import in these files, so joining them changes no reference.
        parts = [f"/* {url} */\n{self.file_of(url).read_text(encoding='utf-8')}" for url in urls]
        return Compressed.of("\n".join(parts).encode())

    def _static_imports(self, entry: str) -> tuple[str, ...]:
        found: list[str] = []
        todo = [entry]
        while todo:
            current = todo.pop(0)
            source = self.file_of(current).read_text(encoding="utf-8")
            for target in _STATIC_IMPORT.findall(source):
                if not target.startswith("/"):
                    base = posixpath.dirname(current)
                    target = posixpath.normpath(posixpath.join(base, target))
                if target != entry and target not in found:
                    found.append(target)
                    todo.append(target)
        return tuple(found)


assets = PortalAssets()
