from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from frontdesk.web import csrf

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# Every form that posts carries {{ csrf_token(request) }} (see frontdesk.web.csrf).
templates.env.globals["csrf_token"] = csrf.token_for
