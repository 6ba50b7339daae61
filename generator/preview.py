"""What `mkdocs serve` needs beyond a build: a rebuild per saved record and no more, quickly, and an
error page while records are invalid. The plugin wires these into MkDocs' live-reload server."""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver
from watchdog.utils.dirsnapshot import DirectorySnapshot

from .evidence.validate import Problem
from .publish.writer import MANIFEST

FASTEST_POLL = 0.1
SLOWEST_POLL = 0.5
"""How often the preview looks at data/ for a saved record: as often as every 0.1 s, while looking
costs at most POLL_SHARE of one core. MkDocs polls what it watches every 0.5 s, a sixth of the 3 s
budget from save to browser; looking at the shipped map's few hundred files takes about 1.5 ms, at
10,000 records about 60 ms, which every 0.1 s would take half a core from the rebuild. Polling, as
MkDocs does, rather than inotify: it also works on mounted folders."""
POLL_SHARE = 0.05


def poll_interval(folder: Path, look: Callable[[str], object] = DirectorySnapshot) -> float:
    """Seconds between two looks at `folder`, from the time one look takes now."""
    start = time.perf_counter()
    look(str(folder))
    took = time.perf_counter() - start
    return min(SLOWEST_POLL, max(FASTEST_POLL, took / POLL_SHARE))


class TemplateCache(BytecodeCache):
    """Compiled theme templates kept in memory across the rebuilds of `mkdocs serve`. MkDocs makes a
    new Jinja environment for every build, so each save compiled Material's templates again (0.2 s
    of a 2.5 s rebuild); Jinja checks each template's source checksum, so an edited template is
    compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def error_page(problems: Sequence[Problem]) -> str:
    """What the preview shows instead of any page while records are invalid (a full HTML page, so
    `mkdocs serve` can add its reload script and the page comes back by itself once they are fixed)."""
    items = "".join(f"<li><code>{html.escape(p.format())}</code></li>" for p in problems)
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invalid records</title></head>"
            "<body><main><h1>Invalid records: nothing was rebuilt</h1>"
            f"<p>{len(problems)} problem{'s' if len(problems) != 1 else ''}. Fix and save; this page reloads by itself.</p>"
            f"<ul>{items}</ul></main></body></html>\n")


def _can_request_rebuild(server: Any) -> bool:
    return hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild") and hasattr(server, "observer")


def _request_rebuild(server: Any) -> None:
    """What MkDocs' own watch callback does (LiveReloadServer.watch), which takes no filter or interval."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def watch_often(server: Any, folder: Path, seconds: float) -> BaseObserver | None:
    """Watch `folder` with its own poller every `seconds` (see poll_interval) and ask `server` for a
    rebuild on any file change; None (the caller keeps MkDocs' own watch) when the server's private
    interface changed."""
    if not _can_request_rebuild(server):
        return None

    def on_any_event(event: FileSystemEvent) -> None:
        if not event.is_directory:
            _request_rebuild(server)

    handler = FileSystemEventHandler()
    handler.on_any_event = on_any_event  # type: ignore[method-assign]
    observer = PollingObserver(timeout=seconds)
    observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    return observer


def watch_sources_only(server: Any, docs: Path, generated: Callable[[], frozenset[str]]) -> None:
    """Watch the docs folder for hand-written changes only: the generator's own writes there (and
    its temporary files) would otherwise start a second, useless build after every save.

    MkDocs' LiveReloadServer has no filter, so its watch of the docs folder is replaced by one with
    a filter that asks for a rebuild the way its own callback does. Should that private interface
    change, the plain watch stays (two builds per save, as before) rather than none."""
    if not _can_request_rebuild(server):
        return
    root = os.path.abspath(docs)

    def ours(path: str) -> bool:
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        name = rel.rsplit("/", 1)[-1]
        return rel in generated() or rel == MANIFEST or (name.startswith(".") and name.endswith(".tmp"))

    def on_any_event(event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "") or event.src_path]
        if not event.is_directory and not all(ours(os.fsdecode(p)) for p in paths):
            _request_rebuild(server)

    handler = FileSystemEventHandler()
    handler.on_any_event = on_any_event  # type: ignore[method-assign]
    server.unwatch(root)
    server.observer.schedule(handler, root, recursive=True)
