"""A throwaway PostgreSQL cluster for one command or one block of code.

Why: the project runs on PostgreSQL in production, and some behaviour
(full-text search, constraints, transactions under concurrency) differs from
SQLite.  Rather than depend on a long-lived shared server, we create a private
cluster from Debian's ``postgresql`` package in a temp folder, on a free port,
tuned for speed (no fsync: the data is thrown away anyway), and delete it
afterwards, also on failure or Ctrl-C.

Command line::

    python -m tests.harness.postgres -- pytest -x
    python -m tests.harness.postgres -- sh -c 'psql "$DATABASE_URL" -c "select 1"'

The command runs with ``DATABASE_URL=postgres://signpost@127.0.0.1:PORT/signpost``
and this module exits with its exit code.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.harness.elasticsearch import HarnessError, _chown_tree, _ensure_system_user, free_port

PG_USER = "signpost-pg"  # the OS user that owns the cluster when we are root
SUPERUSER = "signpost"  # the database superuser
DATABASE = "signpost"


def postgres_bindir() -> Path:
    """The newest installed ``/usr/lib/postgresql/<version>/bin`` that has initdb and pg_ctl."""
    candidates = []
    for bindir in Path("/usr/lib/postgresql").glob("*/bin"):
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            try:
                candidates.append((float(bindir.parent.name), bindir))
            except ValueError:
                continue
    if not candidates:
        raise HarnessError("PostgreSQL server binaries not found: apt-get install postgresql")
    return max(candidates)[1]


def _run(
    command: list[str], as_user: pwd.struct_passwd | None, **kwargs
) -> subprocess.CompletedProcess:
    """Run a server tool, as the unprivileged user when we are root (PostgreSQL refuses root)."""
    if as_user is not None:
        kwargs.update(user=as_user.pw_uid, group=as_user.pw_gid, extra_groups=[])
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise HarnessError(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return result


@contextlib.contextmanager
def throwaway_postgres():
    """Create, start and yield the URL of a fresh cluster; stop and delete it afterwards."""
    bindir = postgres_bindir()
    owner = _ensure_system_user(PG_USER) if os.geteuid() == 0 else None
    workdir = Path(tempfile.mkdtemp(prefix="signpost-pg-"))
    data, socket_dir = workdir / "data", workdir / "socket"
    socket_dir.mkdir()
    if owner is not None:
        _chown_tree(workdir, owner)
    port = free_port()
    env = {**os.environ, "HOME": str(workdir), "LC_ALL": "C.UTF-8"}
    started = False
    try:
        _run(
            [
                bindir / "initdb",
                "-D",
                data,
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            owner,
            env=env,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={socket_dir}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = True  # from here on, always try to stop it
        # Own session, so the terminal's Ctrl-C does not shut the server down under the command.
        _run(
            [
                bindir / "pg_ctl",
                "-D",
                data,
                "-l",
                workdir / "server.log",
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            owner,
            env=env,
            start_new_session=True,
        )
        _run(
            [bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, DATABASE],
            owner,
            env=env,
        )
        yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            with contextlib.suppress(HarnessError):
                _run(
                    [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], owner, env=env
                )
        shutil.rmtree(workdir, ignore_errors=True)


def _exit_code(returncode: int) -> int:
    """A child killed by signal N reports -N; a shell would say 128+N."""
    return 128 - returncode if returncode < 0 else returncode


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python -m tests.harness.postgres -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    child = None

    def on_sigterm(signum, frame):
        """Pass SIGTERM (e.g. a CI timeout) on, then unwind like Ctrl-C so the cluster is removed."""
        if child is not None:
            child.terminate()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        with throwaway_postgres() as url:
            child = subprocess.Popen(argv, env={**os.environ, "DATABASE_URL": url})
            try:
                return _exit_code(child.wait())
            except KeyboardInterrupt:
                # The child got the Ctrl-C (or SIGTERM) too; let it finish its own clean-up first.
                try:
                    return _exit_code(child.wait(10))
                except subprocess.TimeoutExpired:
                    child.kill()
                    return 130
    except KeyboardInterrupt:
        return 130
    except HarnessError as error:
        print(f"tests.harness.postgres: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # e.g. the command does not exist
        print(f"tests.harness.postgres: {error}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
