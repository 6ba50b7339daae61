"""MkDocs plugin: runs the build step on `mkdocs build` and `mkdocs serve`, and watches data/.

A plugin rather than a `hooks:` file so any mkdocs.yml (another review's, a test's) can use it by
name without a path to this package."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files as MkFiles

from .evidence.dataset import Dataset, InvalidData, UsageError, load
from .publish import mapcite
from .publish.build import generate
from .publish.context import SiteContext
from .publish.living import status
from .publish.writer import UnsafePath, write_tree

log = logging.getLogger("mkdocs.plugins.evidence_map")
THEME_OVERRIDES = Path(__file__).parent / "overrides"
SEARCH_EXCLUDED = ("facets/", "explore/", "whats-new/", "trends/", "map/", "data/", "changes/")


class EvidenceMapConfig(Config):
    data_dir = config_options.Type(str, default="data")


class EvidenceMapPlugin(BasePlugin[EvidenceMapConfig]):
    dataset: Dataset | None = None
    update_date: str | None = None
    generated: set[str]

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
            raise PluginError(f"invalid records; nothing was built:\n{lines}\n{len(e.problems)} problem(s)") from None
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
        self.dataset, self.generated = ds, set(files)
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
        for f in files:
            if f.src_uri in self.generated:
                f.edit_uri = None
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
        if page.file.src_uri in self.generated and page.file.src_uri.startswith(SEARCH_EXCLUDED):
            page.meta.setdefault("search", {"exclude": True})
        return markdown

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        edit_path = page.meta.get("edit_path")
        if edit_path and config.repo_url and config.edit_uri:
            page.edit_url = SiteContext(repo_url=config.repo_url, edit_uri=config.edit_uri).edit_url(edit_path)
        return context

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.data_dir(config)))
        return server
