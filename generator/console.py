"""What every evidence-map command prints and returns: exit codes, problems, loading the data."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .evidence.dataset import Dataset, InvalidData, UsageError, load, load_config
from .evidence.validate import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def report(problems: Sequence[Problem]) -> None:
    """Problems to stderr; also as GitHub annotations (stdout) when running in GitHub Actions."""
    for p in problems:
        print(p.format(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for p in problems:
            print(p.github())
    files = len({p.path for p in problems})
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}", file=sys.stderr)


def load_or_report(data: Path) -> Dataset | int:
    try:
        return load(data)
    except UsageError as e:
        print(f"evidence-map: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidData as e:
        report(e.problems)
        return EXIT_INVALID


T = TypeVar("T")


def print_schema(config: Path, parse: Callable[[Any], T], schema_of: Callable[[T], dict[str, Any]]) -> int:
    """Print the JSON Schema that a config file (taxonomy.yaml, review.yaml) defines, or its problems."""
    parsed, problems = load_config(config, parse)
    if parsed is None:
        report(problems)
        return EXIT_INVALID
    sys.stdout.write(json.dumps(schema_of(parsed), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
