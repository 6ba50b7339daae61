"""Outputs kept from one build to the next and reused where their inputs are equal.

`mkdocs serve` regenerates the site on every save, and a save changes one record: most study and
facet pages come out as they did the time before. The functions kept here are pure, so keeping an
output with the inputs it was computed from, and comparing those inputs by equality (not a hash, a
file date or a guess at what changed), gives exactly what computing it again would."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Reuse(Generic[T]):
    """Results of one pure function by key, from the last build. Within a round, `get(key, args, fn)`
    returns fn(*basis, *args), or the last round's result for `key` when its args were equal; `basis`
    is the leading arguments every call of the round shares (taxonomy, site settings), compared once
    per round: when it differs, nothing is reused."""

    def __init__(self) -> None:
        self._basis: Any = None
        self._last: dict[Hashable, tuple[tuple[Any, ...], T]] = {}

    @contextmanager
    def round(self, basis: Any) -> Iterator[Callable[[Hashable, tuple[Any, ...], Callable[..., T]], T]]:
        last = self._last if self._basis == basis else {}
        kept: dict[Hashable, tuple[tuple[Any, ...], T]] = {}

        def get(key: Hashable, args: tuple[Any, ...], fn: Callable[..., T]) -> T:
            hit = last.get(key)
            result = hit[1] if hit is not None and hit[0] == args else fn(*basis, *args)
            kept[key] = (args, result)
            return result

        yield get
        # Only a round that finished replaces the last one; keys it did not ask for are dropped.
        self._basis, self._last = basis, kept
