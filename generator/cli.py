"""The evidence-map command line: validate, new, stats, schema, build."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .evidence.dataset import Dataset, InvalidData, UsageError, load
from .evidence.records import DOI, MAX_ID_LENGTH, SLUG, json_schema
from .evidence.stats import render_stats
from .evidence.template import render_template
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


def cmd_validate(args: argparse.Namespace) -> int:
    ds = load_or_report(args.data)
    if isinstance(ds, int):
        return ds
    print(f"{len(ds.studies)} records valid ({args.data / 'studies'})")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    ds = load_or_report(args.data)
    if isinstance(ds, int):
        return ds
    sys.stdout.write(render_stats(ds.studies, ds.taxonomy))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .evidence.dataset import _load_config
    from .evidence.taxonomy import parse_taxonomy

    taxonomy, problems = _load_config(args.data / "taxonomy.yaml", parse_taxonomy)
    if taxonomy is None:
        report(problems)
        return EXIT_INVALID
    sys.stdout.write(json.dumps(json_schema(taxonomy), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .evidence.dataset import _load_config
    from .evidence.taxonomy import parse_taxonomy

    if len(args.id) > MAX_ID_LENGTH:
        print(f"evidence-map: error: the id is {len(args.id)} characters long; at most {MAX_ID_LENGTH} allowed", file=sys.stderr)
        return EXIT_USAGE
    if not re.fullmatch(SLUG[1:-1], args.id):
        print(f"evidence-map: error: '{args.id}' is not a valid id; use lowercase ascii letters, digits and hyphens, e.g. hon2017towards", file=sys.stderr)
        return EXIT_USAGE
    if args.doi is not None and not re.fullmatch(DOI[1:-1], args.doi):
        print(f"evidence-map: error: '{args.doi}' is not a bare DOI such as 10.3390/jimaging7040066", file=sys.stderr)
        return EXIT_USAGE
    taxonomy, problems = _load_config(args.data / "taxonomy.yaml", parse_taxonomy)
    if taxonomy is None:
        report(problems)
        return EXIT_INVALID
    target = args.data / "studies" / f"{args.id}.yaml"
    if target.exists():
        print(f"evidence-map: error: {target} already exists; not overwriting it", file=sys.stderr)
        return EXIT_USAGE
    text = render_template(args.id, taxonomy, dt.date.today(), args.title, args.doi)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    print(f"wrote {target}: fill it in, then run: evidence-map validate")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Exactly `mkdocs build` with this config: the plugin validates and generates the pages."""
    if not args.config.is_file():
        print(f"evidence-map: error: no MkDocs configuration at {args.config}", file=sys.stderr)
        return EXIT_USAGE
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(args.config)] + (["--strict"] if args.strict else [])
    return subprocess.call(cmd, env=env)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evidence-map", description="Validate, inspect and publish the evidence map's study records.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_opt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                        help="data folder holding studies/, taxonomy.yaml and review.yaml (default: ./data)")

    sp = sub.add_parser("validate", help="check every record; exit 0 valid, 1 invalid data, 2 usage error",
                        description="Check every record and report every problem as file:line:col. Writes nothing.")
    data_opt(sp)
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("new", help="write a commented template for a new study record",
                        description="Write data/studies/ID.yaml, a commented template with today's date as 'added'. Never overwrites.")
    sp.add_argument("id", metavar="ID", help="the study id: first author's surname + year + first title word, e.g. hon2017towards")
    sp.add_argument("--title", help="the study's exact title")
    sp.add_argument("--doi", help="the study's bare DOI, e.g. 10.3390/jimaging7040066")
    data_opt(sp)
    sp.set_defaults(func=cmd_new)

    sp = sub.add_parser("stats", help="count studies per facet value", description="Count studies per facet value.")
    data_opt(sp)
    sp.set_defaults(func=cmd_stats)

    sp = sub.add_parser("schema", help="print the JSON Schema of a record", description="Print the JSON Schema of a study record, generated from the record model.")
    data_opt(sp)
    sp.set_defaults(func=cmd_schema)

    sp = sub.add_parser("build", help="build the whole site (generate pages, then mkdocs build)",
                        description="Validate the records, generate the pages and build the site with MkDocs.")
    sp.add_argument("-f", "--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration (default: ./mkdocs.yml)")
    sp.add_argument("--strict", action="store_true", help="fail on MkDocs warnings")
    sp.set_defaults(func=cmd_build)

    from .intake.commands import add_commands  # import, include, exclude, screen

    add_commands(sub, data_opt)
    from .publish.release import add_command as add_release  # release VERSION

    add_release(sub, data_opt)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
