"""Jinja2 rendering of the generated pages: Markdown templates escape every value by default.

Jinja's autoescape only knows HTML, and HTML-escaping alone leaves Markdown syntax (`**`, `[x](y)`,
`#`) active. So the Markdown environment escapes every printed value with `inline` (HTML + Markdown
escaping) unless the template or the caller marks it as already-safe Markup (built links, fences)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..evidence.yamlsafe import dump_scalar
from . import urls
from .escape import html_text, md_text

TEMPLATES = Path(__file__).parent / "templates"

# Every character str.splitlines() breaks on: none may start a new Markdown block or RIS line.
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def one_line(text: Any) -> str:
    return LINE_BREAKS.sub(" ", str(text)).strip()


def inline(value: Any) -> Markup:
    """A value as Markdown inline text: one line, HTML- and Markdown-escaped."""
    if isinstance(value, Markup):
        return value
    return Markup(md_text(one_line(value)))


def html(value: Any) -> Markup:
    """A value for raw HTML inside a Markdown page (element text or a quoted attribute)."""
    return Markup(html_text(one_line(value)))


def link(from_file: str, to_file: str) -> Markup:
    """Relative Markdown link target between two docs files (built from our own paths and slugs)."""
    return Markup(urls.file_link(from_file, to_file))


def href(value: Any) -> Markup:
    """A record's link for an href attribute: percent-encoded (no markup) and attribute-escaped; '#' if unusable."""
    return Markup(html_text(urls.href(str(value)) or "#"))


def url(from_page_url: str, target_url: str) -> Markup:
    """Relative URL for raw HTML (MkDocs does not rewrite links inside HTML), attribute-escaped."""
    return Markup(html_text(urls.relative(from_page_url, target_url)))


def code(value: Any) -> Markup:
    """An inline code span no backtick in the text can close (code spans show text literally)."""
    text = one_line(value)
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{ticks}{pad}{text}{pad}{ticks}")


def fence(text: str, lang: str = "text") -> Markup:
    """A fenced code block that no backtick run in text can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return Markup(f"{ticks} {lang}\n{text.rstrip()}\n{ticks}")


def _finalize(value: Any) -> Any:
    return inline(value) if not isinstance(value, Markup) else value


@cache
def markdown_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=False, finalize=_finalize, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(md=inline, html=html, link=link, fence=fence, url=url, code=code, yaml=dump_scalar, href=href)
    return env


@cache
def html_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    """Render a template of generator/templates/: *.md.j2 as escaped Markdown, *.html.j2 as escaped HTML."""
    env = html_env() if template.endswith((".html.j2", ".svg.j2")) else markdown_env()
    return env.get_template(template).render(**context)
