"""Escaping of record values for every place they are rendered."""

from __future__ import annotations

import html
import json
import re
from typing import Any

# Characters Python-Markdown (and the extensions configured in mkdocs.yml) give meaning to.
# HTML-escaping alone would leave **bold** and [links](x) active. Python-Markdown accepts a
# backslash escape only for _MD_BACKSLASH (its ESCAPED_CHARS plus the tables extension's "|"); any
# other backslash stays visible ("\~"), so the rest become numeric character references, which no
# Markdown extension parses. One pass, so an escape's own "&" or "#" is never escaped again.
_MD_BACKSLASH = frozenset("\\`*_{}[]()#+-.!|")
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=:<>&]")
_HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _md_escape(m: re.Match[str]) -> str:
    ch = m.group()
    return "\\" + ch if ch in _MD_BACKSLASH else _HTML_ENTITIES.get(ch) or f"&#{ord(ch)};"


def html_text(value: Any) -> str:
    """Text for HTML element content and attribute values (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def md_text(value: Any) -> str:
    """Text for Markdown inline content (not attributes): <, >, & and Markdown punctuation escaped."""
    return _MD_SPECIAL.sub(_md_escape, str(value)).replace("\n", " ")


def json_for_script(data: Any) -> str:
    """JSON safe inside <script> (e.g. JSON-LD): no '</script>' or '<!--' can close or confuse it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
