"""MkDocs plugin: runs the build step on `mkdocs build` and `mkdocs serve`, and watches data/.

A plugin rather than a `hooks:` file so any mkdocs.yml (another review's, a test's) can use it by
name without a path to this package."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files as MkFiles
from watchdog.observers.api import BaseObserver

from .evidence.dataset import Dataset, InvalidData, UsageError, load
from .evidence.validate import Problem
from .preview import TemplateCache, error_page, poll_interval, watch_often, watch_sources_only
from .publish import mapcite, searchindex
from .publish.build import generate
from .publish.context import SiteContext
from .publish.living import status
from .publish.writer import UnsafePath, write_tree

log = logging.getLogger("mkdocs.plugins.evidence_map")
THEME_OVERRIDES = Path(__file__).parent / "overrides"
SEARCH_EXCLUDED = ("explore/", "whats-new/", "trends/", "map/", "data/", "changes/")


class EvidenceMapConfig(Config):
    data_dir = config_options.Type(str, default="data")


class EvidenceMapPlugin(BasePlugin[EvidenceMapConfig]):
    dataset: Dataset | None = None
    update_date: str | None = None
    generated: frozenset[str] = frozenset()
    serving = False
    problems: list[Problem] | None = None
    """The problems of the last load under `mkdocs serve`: every page then shows them."""
    templates: TemplateCache | None = None
    data_observer: BaseObserver | None = None
    rerender_all = False
    """Under `mkdocs serve --dirty`, pages whose source did not change are not rendered again: while
    records are invalid, and once after they are fixed, every page must be (error page, then back)."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[str] = []
        """The URL of every page of this build, in the order MkDocs builds them."""
        self.rendered: set[str] = set()
        """The pages this build rendered (under `mkdocs serve --dirty`, those whose source changed)."""
        self.search_entries: searchindex.Entries = {}
        """Under `mkdocs serve`, every page's search entries as last written, for the pages a dirty build skips."""
        self.fresh_index = False
        """Whether the search plugin's index of this build holds only the pages it rendered."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this hook keeps one plugin object across the rebuilds of `mkdocs serve`, so the
        # set of generated files survives from one build to the next (the watcher needs it).
        self.serving = command == "serve"
        if self.serving and self.templates is None:
            self.templates = TemplateCache()

    def on_env(self, env: Environment, config: MkDocsConfig, files: MkFiles) -> Environment:
        if self.templates is not None and env.bytecode_cache is None:
            env.bytecode_cache = self.templates
        return env

    def data_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.data_dir).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        try:
            ds = load(self.data_dir(config))
        except UsageError as e:
            raise PluginError(str(e)) from None
        except InvalidData as e:
            lines = "\n".join(p.format() for p in e.problems)
            if not self.serving:
                raise PluginError(f"invalid records; nothing was built:\n{lines}\n{len(e.problems)} problem(s)") from None
            # A preview must not hang on a half-typed record: nothing is generated, the terminal and
            # every page show the problems, and the next good save brings the pages back.
            log.error(f"invalid records; the preview shows them until they are fixed:\n{lines}\n{len(e.problems)} problem(s)")
            self.problems, self.rerender_all = e.problems, True
            config.theme.dirs.insert(0, str(THEME_OVERRIDES))
            return config
        self.problems = None
        ctx = SiteContext(
            site_name=config.site_name, site_url=config.site_url, repo_url=config.repo_url, edit_uri=config.edit_uri,
        )
        files = generate(ds, ctx)
        docs = Path(config.docs_dir)
        try:
            changes = write_tree(files, docs)
        except UnsafePath as e:
            raise PluginError(str(e)) from None
        log.info(f"evidence map: {len(ds.studies)} studies; {len(changes.written)} files written, "
                 f"{len(changes.removed)} removed, {changes.unchanged} unchanged")
        self.dataset, self.generated = ds, frozenset(files)
        # once, not per page: Dataset.last_added scans every study (quadratic over 10,000 pages)
        self.update_date = ds.last_added.isoformat() if ds.last_added else None
        # The footer's version line and the archived banner (overrides/partials/copyright.html, main.html).
        version, living = mapcite.current(ds), status(ds)
        config.extra["evidence_map"] = {
            "version": version.label, "released": version.date.isoformat() if version.date else None,
            "doi": version.doi, "license": ds.review.map.license, "status": living.status, "status_label": living.label,
            "status_sentence": living.sentence,
        }
        # Our template overrides (e.g. no repository-facts request to GitHub) win over the theme's.
        config.theme.dirs.insert(0, str(THEME_OVERRIDES))
        return config

    def on_files(self, files: MkFiles, config: MkDocsConfig) -> MkFiles:
        # Generated pages have no source file in the repository: their "edit" link goes to the
        # record they come from (front matter `edit_path`) or nowhere.
        self.pages, self.rendered = [searchindex.location(f.url) for f in files.documentation_pages()], set()
        for f in files:
            if f.src_uri in self.generated:
                f.edit_uri = None
            if self.rerender_all:
                f.is_modified = lambda: True  # type: ignore[method-assign]
        return files

    def on_pre_page(self, page: Any, config: MkDocsConfig, files: MkFiles) -> Any:
        # The sitemap's <lastmod> and sitemap.xml.gz's gzip timestamp come from page.update_date,
        # which MkDocs sets to the build day: use the newest record's date so builds are byte-identical.
        if self.update_date is not None:
            page.update_date = self.update_date
        return page

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: MkFiles) -> str:
        # Pages that list or chart many studies repeat what study pages say: indexing them made
        # the search index grow with N x pages; readers find those pages from the navigation.
        # A facet value's page is indexed by its label and definition only (its list of studies is
        # data-search-exclude), so a category is found once, not once per study.
        src = page.file.src_uri
        if src in self.generated and (src.startswith(SEARCH_EXCLUDED) or (src.startswith("facets/") and src.endswith("index.md"))):
            page.meta.setdefault("search", {"exclude": True})
        return markdown

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        edit_path = page.meta.get("edit_path")
        if edit_path and config.repo_url and config.edit_uri:
            page.edit_url = SiteContext(repo_url=config.repo_url, edit_uri=config.edit_uri).edit_url(edit_path)
        return context

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        self.rendered.add(searchindex.location(page.url))
        return error_page(self.problems) if self.problems else output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return error_page(self.problems) if self.problems and template_name == "404.html" else output_content

    @event_priority(100)  # before the search plugin writes its index
    def _search_fresh(self, config: MkDocsConfig) -> None:
        # Under `mkdocs serve --dirty`, Material's search adds the entries of the pages a rebuild
        # rendered to those it kept from the last build, assuming one page per save (it drops the
        # old entries of the first page only). A saved record re-renders a dozen pages, whose old
        # entries then stayed, first: the preview found a study by its old title. Without its kept
        # index, it writes the rendered pages' entries only, and _search_compact completes them.
        search = config.plugins.get("material/search")
        self.fresh_index = self.serving and search is not None and hasattr(search, "search_index_prev")
        if self.fresh_index:
            search.search_index_prev = None  # type: ignore[union-attr]

    @event_priority(-100)  # after the search plugin has written its index, wherever it is listed
    def _search_compact(self, config: MkDocsConfig) -> None:
        # One search entry per study page instead of one per section (searchindex.py): the index
        # that every reader downloads grows by what is searched for, not by headings and labels.
        self.rerender_all = bool(self.problems)  # once more after a fix, so the error pages are replaced
        path = Path(config.site_dir) / "search" / "search_index.json"
        if self.dataset is None or self.problems or not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        if self.fresh_index:
            # The pages this rebuild did not render keep the entries of the build that rendered them.
            index, self.search_entries = searchindex.complete(index, self.rendered, self.pages, self.search_entries)
        path.write_text(searchindex.dump(searchindex.compact(index, self.dataset)), encoding="utf-8")

    on_post_build = CombinedEvent(_search_fresh, _search_compact)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        interval = poll_interval(self.data_dir(config))
        self.data_observer = watch_often(server, self.data_dir(config), interval)
        if self.data_observer is None:
            server.watch(str(self.data_dir(config)))
        else:
            log.info(f"Watching the records in '{self.config.data_dir}' every {interval:.1f} s")
        watch_sources_only(server, Path(config.docs_dir), lambda: self.generated)
        return server

    def on_shutdown(self) -> None:
        if self.data_observer is not None:
            self.data_observer.stop()
            self.data_observer = None
