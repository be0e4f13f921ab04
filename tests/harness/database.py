"""A SQLite test database that is migrated once and reused until something that shapes it changes.

Why: applying every migration (the project's and Wagtail's) to a fresh database takes about half
a minute, far longer than most test files take to run. So the test settings name the SQLite test
database after a fingerprint of everything that decides what migrating produces, and pytest runs
with pytest-django's ``--reuse-db``: an unchanged tree opens the file left by the last run, and a
changed migration (or package) gives a new name, hence a freshly migrated file.

The fingerprint covers:

* every ``migrations/*.py`` of the project's own apps (those of ``INSTALLED_APPS`` that live in
  this checkout), by path and content;
* the project modules that data migrations import (``directory/taxonomy.py`` decides which
  taxonomy ``directory`` 0002 seeds), since their code decides the seeded rows;
* the installed version of each library whose code migrating runs: the distributions of the
  installed apps (Django, Wagtail, wagtail-localize, taggit...) and of what the project's
  migrations import (modelcluster, modelsearch), so upgrading one gives a fresh file too. Not
  every installed package: the shared virtualenv gains dev tools often, and they change nothing.

Files live in ``<checkout>/.cache/test-db/``, deliberately not under ``SIGNPOST_CACHE_DIR``:
that one may be shared by several checkouts (it holds large downloads), and each checkout
removes its own stale databases. This module has no pytest dependency: the test settings import
it; ``database_plugin.py`` does the reuse at run time.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import os
import re
import sqlite3
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

DIRECTORY_NAME = Path(".cache") / "test-db"
# sqlite-<fingerprint>.sqlite3, then pytest-django's worker suffix (_gw0), then our private
# copy's .pid<N>; its sibling files add these suffixes.
FILE_NAME = re.compile(
    r"^(?P<base>sqlite-(?P<key>[0-9a-f]{16})\.sqlite3(?:_[^.\-]+)?(?P<private>\.pid\d+)?)"
)
SIBLING_SUFFIXES = ("-journal", "-wal", "-shm", ".pristine", ".pristine.tmp", ".lock")


def _project_app_dirs(base_dir: Path, installed_apps: Iterable[str]) -> list[Path]:
    """The folders of the installed apps that are part of this checkout (not libraries)."""
    folders = set()
    for app in installed_apps:
        parts = app.split(".")
        # Longest dotted prefix that is a package here: "cms.apps.CmsConfig" -> cms/.
        for length in range(len(parts), 0, -1):
            folder = base_dir.joinpath(*parts[:length])
            if (folder / "__init__.py").is_file():
                folders.add(folder)
                break
    return sorted(folders)


def _module_file(base_dir: Path, dotted: str) -> Path | None:
    """The file of a project module given its dotted name, or None for a library module."""
    folder = base_dir.joinpath(*dotted.split("."))
    for candidate in (folder.with_suffix(".py"), folder / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(source: bytes, package: str) -> set[str]:
    """Every dotted name a module imports (``from a.b import c`` gives a.b and a.b.c), absolute."""
    names = set()
    statements = list(ast.parse(source).body)
    while statements:  # statements only (imports are statements): skips the big expressions
        node = statements.pop()
        for field in ("body", "orelse", "finalbody", "handlers"):
            statements.extend(getattr(node, field, ()))
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative, e.g. from ..taxonomy import seed
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{anchor}.{node.module}" if node.module else anchor
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _distributions(top_level_names: set[str]) -> list[str]:
    """The dist-info names (``wagtail-8.0.1.dist-info``) of the installed distributions that
    provide these top-level packages, plus ``name:missing`` for any that none provides."""
    wanted = set(top_level_names)
    found: set[str] = set()
    without_top_level = []
    paths = sysconfig.get_paths()
    for folder in sorted({paths["purelib"], paths["platlib"]}):
        with contextlib.suppress(FileNotFoundError):
            for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
                if not entry.name.endswith(".dist-info"):
                    continue
                try:
                    provides = set((Path(entry.path) / "top_level.txt").read_text().split())
                except FileNotFoundError:  # newer build backends do not write it
                    without_top_level.append(Path(entry.path))
                    continue
                if provides & wanted:
                    found.add(entry.name)
                    wanted -= provides
    for dist_info in without_top_level:
        if not wanted:
            break
        with contextlib.suppress(FileNotFoundError):
            provides = {
                line.split("/", 1)[0]
                for line in (dist_info / "RECORD").read_text().splitlines()
                if "/" in line
            }
            if provides & wanted:
                found.add(dist_info.name)
                wanted -= provides
    return sorted(found) + sorted(f"{name}:missing" for name in wanted)


def fingerprint(base_dir: Path, installed_apps: Iterable[str]) -> str:
    """A short hash of everything that decides what migrating a fresh database produces."""
    project_dirs = _project_app_dirs(base_dir, installed_apps)
    project_tops = {folder.relative_to(base_dir).parts[0] for folder in project_dirs}
    # The libraries whose code migrating runs: the installed apps' and what migrations import.
    libraries = {app.split(".")[0] for app in installed_apps} | {"django"}
    inputs: set[Path] = set()
    for folder in project_dirs:
        package = ".".join(folder.relative_to(base_dir).parts + ("migrations",))
        for migration in sorted((folder / "migrations").glob("*.py")):
            inputs.add(migration)
            source = migration.read_bytes()
            imported = _imported_names(source, package)
            libraries |= {name.split(".")[0] for name in imported}
            if b"RunPython" in source:  # a data migration: the project code it calls counts too
                inputs.update(filter(None, (_module_file(base_dir, name) for name in imported)))
    libraries -= project_tops | set(sys.stdlib_module_names) | {""}
    digest = hashlib.sha256()
    for path in sorted(inputs):
        digest.update(path.relative_to(base_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for distribution in _distributions(libraries):
        digest.update(distribution.encode() + b"\0")
    return digest.hexdigest()[:16]


def sqlite_test_database_name(base_dir: Path, installed_apps: Iterable[str]) -> str:
    """The path for ``DATABASES["default"]["TEST"]["NAME"]``: one file per fingerprint."""
    key = fingerprint(base_dir, installed_apps)
    return str(base_dir / DIRECTORY_NAME / f"sqlite-{key}.sqlite3")


def is_reusable_file(path: Path) -> bool:
    """Whether this test database name is one of ours (so reuse and clean-up apply to it)."""
    return path.parent.name == DIRECTORY_NAME.name and FILE_NAME.match(path.name) is not None


def _try_lock(path: Path) -> int | None:
    """An exclusive lock on ``path`` (created if need be) as an open descriptor, or None if
    another process holds it. The lock lasts until the descriptor is closed or the process ends."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of one SQLite database over another, through SQLite's backup API."""
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


class ReusedDatabase:
    """One test run's claim on a reusable file, and the copy that puts its contents back.

    Transactional tests (``transaction=True``, ``live_server``, the browser tests) empty every
    table after each test, including the rows data migrations seeded, and search's FTS table is
    not emptied at all. So right after set-up the file is copied aside (``.pristine``) and copied
    back at the end of the session: the next run starts from exactly what migrating produced.
    If a run is killed, the copy stays and the next run puts it back before it opens the file.
    """

    def __init__(self, path: Path, lock_fd: int, shared: Path | None = None) -> None:
        self.path = path
        self.shared = shared or path  # the reusable file, which another run may be using
        self.private = shared is not None  # another run held the shared file: a throwaway copy
        self._lock_fd = lock_fd
        self.pristine = path.with_name(path.name + ".pristine")
        self.recovered = False  # a killed run's copy was put back

    @classmethod
    def claim(cls, path: Path) -> ReusedDatabase:
        """Lock ``path`` for this process; if another run has it, lock a private name instead."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _try_lock(path.with_name(path.name + ".lock"))
        if fd is not None:
            return cls(path, fd)
        private = path.with_name(f"{path.name}.pid{os.getpid()}")
        fd = _try_lock(private.with_name(private.name + ".lock"))
        if fd is None:  # the name has our process id: only a bug could get here
            raise RuntimeError(f"{private} is locked by another process")
        return cls(private, fd, shared=path)

    def remove_stale(self) -> list[str]:
        """Delete other fingerprints' files and dead runs' private copies; return their names.

        Files another process has locked (a run still going on an older tree) are left alone.
        """
        current = FILE_NAME.match(self.path.name)
        groups: dict[str, list[Path]] = {}
        for entry in self.path.parent.iterdir():
            match = FILE_NAME.match(entry.name)
            if match is None:
                continue  # not ours: never delete what we do not recognise
            if match["key"] == current["key"] and not match["private"]:
                continue  # this tree's reusable files (every xdist worker's)
            if match["base"] != self.path.name:
                groups.setdefault(match["base"], []).append(entry)
        removed = []
        for base, entries in sorted(groups.items()):
            lock = self.path.parent / f"{base}.lock"
            fd = _try_lock(lock)
            if fd is None:
                continue  # in use
            try:  # the lock file goes last, while we hold it
                for entry in [entry for entry in entries if entry != lock] + [lock]:
                    with contextlib.suppress(FileNotFoundError):
                        entry.unlink()
                removed.append(base)
            finally:
                os.close(fd)
        return removed

    def recover(self, *, recreate: bool) -> None:
        """Before set-up: put back the copy a killed run left (its tests had emptied the file).

        This must happen before Django opens the database: once it has, its caches (content
        type ids, for one) describe the emptied file. ``recreate`` (``--create-db``): migrations
        are about to rebuild the file, so an old copy is only dropped.
        """
        if not self.pristine.exists():
            return
        if recreate:
            self.pristine.unlink()
            return
        _copy(self.pristine, self.path)
        self.recovered = True

    def keep_pristine_copy(self) -> None:
        """After set-up: copy the file aside, to be put back when the session ends."""
        partial = self.pristine.with_name(self.pristine.name + ".tmp")
        _copy(self.path, partial)
        os.replace(partial, self.pristine)  # atomic: a copy is either whole or absent

    def put_back(self) -> None:
        """Restore the file to its state after set-up, then drop the copy."""
        if self.pristine.exists():
            _copy(self.pristine, self.path)
            self.pristine.unlink()

    def release(self) -> None:
        """Give up the lock (the process ending does that too); a private name's lock file goes."""
        with contextlib.suppress(OSError):
            os.close(self._lock_fd)
        if self.private:
            for suffix in SIBLING_SUFFIXES:
                with contextlib.suppress(FileNotFoundError):
                    self.path.with_name(self.path.name + suffix).unlink()
