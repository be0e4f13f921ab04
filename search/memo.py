"""A value every process keeps in memory for a while, shared through the cache.

Editors' synonyms and the list of promoted queries are read by every search and change rarely.
Each process keeps its copy for ``seconds`` (so a search reads no cache: on the zero-setup
database cache, a SQL statement), then reads the shared cache, and only then the database. A
change reaches the process that saved it at once and every other within ``seconds``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
SHARED_SECONDS = 300


class HeldCopy(Generic[T]):
    def __init__(self, cache_key: str, seconds: float, load: Callable[[], T]) -> None:
        self.cache_key = cache_key
        self.seconds = seconds
        self.load = load
        self._held: tuple[float, T] | None = None

    def get(self) -> T:
        """This process's copy, or the shared one, or a fresh read from the database."""
        if self._held is not None and time.monotonic() < self._held[0]:
            return self._held[1]
        value: T | None = cache.get(self.cache_key)
        if value is None:
            value = self.load()
            cache.set(self.cache_key, value, SHARED_SECONDS)
        self._held = (time.monotonic() + self.seconds, value)
        return value

    def forget_here(self) -> None:
        """Drop this process's copy (the shared cache keeps its own)."""
        self._held = None

    def forget(self) -> None:
        """The value changed: drop both copies now, and again once the change commits, so a
        search that read the old value in between does not leave it in the shared cache."""
        self._forget_everywhere()
        transaction.on_commit(self._forget_everywhere)

    def _forget_everywhere(self) -> None:
        self.forget_here()
        cache.delete(self.cache_key)
