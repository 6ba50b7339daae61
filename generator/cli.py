"""The evidence-map command line: validate, new, stats, schema, build."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .console import EXIT_INVALID, EXIT_OK, EXIT_USAGE, load_or_report, print_schema, report
from .evidence.dataset import load_config
from .evidence.records import DOI, MAX_ID_LENGTH, SLUG, json_schema
from .evidence.stats import render_stats
from .evidence.taxonomy import parse_taxonomy
from .evidence.template import render_template


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
    return print_schema(args.data / "taxonomy.yaml", parse_taxonomy, json_schema)


def cmd_new(args: argparse.Namespace) -> int:
    if len(args.id) > MAX_ID_LENGTH:
        print(f"evidence-map: error: the id is {len(args.id)} characters long; at most {MAX_ID_LENGTH} allowed", file=sys.stderr)
        return EXIT_USAGE
    if not re.fullmatch(SLUG[1:-1], args.id):
        print(f"evidence-map: error: '{args.id}' is not a valid id; use lowercase ascii letters, digits and hyphens, e.g. hon2017towards", file=sys.stderr)
        return EXIT_USAGE
    if args.arxiv is not None:
        from .evidence.normalise import arxiv_id

        if arxiv_id(args.arxiv) is None:
            print(f"evidence-map: error: '{args.arxiv}' is not an arXiv id such as 2102.01530", file=sys.stderr)
            return EXIT_USAGE
        args.arxiv = arxiv_id(args.arxiv)
    if args.doi is not None and not re.fullmatch(DOI[1:-1], args.doi):
        print(f"evidence-map: error: '{args.doi}' is not a bare DOI such as 10.3390/jimaging7040066", file=sys.stderr)
        return EXIT_USAGE
    taxonomy, problems = load_config(args.data / "taxonomy.yaml", parse_taxonomy)
    if taxonomy is None:
        report(problems)
        return EXIT_INVALID
    target = args.data / "studies" / f"{args.id}.yaml"
    if target.exists():
        print(f"evidence-map: error: {target} already exists; not overwriting it", file=sys.stderr)
        return EXIT_USAGE
    fields: dict[str, object] = {}
    doi = args.doi
    offline = args.offline or os.environ.get("EVIDENCE_MAP_OFFLINE") == "1"
    if (args.doi or args.arxiv) and not offline:  # prefill the bibliographic fields (intake/prefill.py)
        from .intake.prefill import bibliographic

        fields, doi, problem = bibliographic(args.doi, args.arxiv)
        source = "Crossref" if args.doi else "arXiv"
        print(f"could not fetch the bibliographic fields from {source} ({problem}); fill them in by hand" if problem
              else f"bibliographic fields from {source}: check them against the publication", file=sys.stderr)
    title = args.title or fields.pop("title", None)
    fields.pop("title", None)
    text = render_template(args.id, taxonomy, dt.date.today(), title, doi, **fields)
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
    sp.add_argument("--doi", help="the study's bare DOI, e.g. 10.3390/jimaging7040066 (fills title, authors, year, venue, url from Crossref)")
    sp.add_argument("--arxiv", help="the study's arXiv id, e.g. 2102.01530 (fills the bibliographic fields from arXiv)")
    sp.add_argument("--offline", action="store_true", help="do not fetch bibliographic fields for --doi/--arxiv (also: EVIDENCE_MAP_OFFLINE=1)")
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
