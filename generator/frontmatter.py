"""YAML front matter for generated pages, safe for any record text."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# JSON leaves these unescaped, but YAML either folds them as line breaks inside quoted scalars
# (NEL, LS, PS) or rejects the whole block as non-printable: MkDocs would then silently drop it.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_value(value: Any) -> str:
    """JSON is YAML (flow style); every string is double-quoted and escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter(meta: Mapping[str, Any]) -> str:
    """A `---` block, one key per line, that MkDocs reads into page.meta."""
    return "---\n" + "".join(f"{key}: {yaml_value(v)}\n" for key, v in meta.items()) + "---\n\n"
