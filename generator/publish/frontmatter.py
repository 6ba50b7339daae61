"""YAML front matter for generated pages, safe for any record text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..evidence.yamlsafe import dump_scalar


def front_matter(meta: Mapping[str, Any]) -> str:
    """A `---` block, one key per line, that MkDocs reads into page.meta."""
    return "---\n" + "".join(f"{key}: {dump_scalar(v)}\n" for key, v in meta.items()) + "---\n\n"
