"""A real, throwaway Redis server for tests.

Why: the rate limits count on Redis in production, and what matters there (INCR keeping a
key's expiry, SET NX EX, counts from many threads at once) is the server's behaviour, which a
mock would only restate. Debian's ``redis-server`` starts in well under a second, so each test
session (each pytest-xdist worker) gets its own: loopback only, a free port, a temp folder,
no persistence (no RDB snapshots, no append-only file). It stops at interpreter exit, on
SIGTERM, and (through a parent-death signal) even when the test run is killed.

Command line::

    python -m tests.harness.redis_server serve   # run a server until Ctrl-C, print REDIS_URL=...
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.harness import cleanup as stop_at_exit
from tests.harness.elasticsearch import HarnessError, free_port

STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def redis_server_binary() -> str | None:
    """The ``redis-server`` on PATH (Debian puts it in /usr/bin), or None."""
    return shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin:/usr/bin")


def redis_available() -> tuple[bool, str]:
    """Whether a server can be started here, and if not, what to install."""
    if redis_server_binary() is None:
        return False, "redis-server not found (apt-get install redis-server)"
    return True, ""


def ping(port: int, timeout: float = 1.0) -> bool:
    """True when a Redis server answers PING on 127.0.0.1:``port``.

    Plain RESP over a socket, so the harness needs nothing but the server to know it is up.
    """
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One ``redis-server`` on 127.0.0.1, holding its data in memory only."""

    def __init__(self) -> None:
        self.port: int | None = None
        self.workdir: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds: float | None = None
        self.version: str | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise HarnessError("the Redis server has not been started")
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> RedisServer:
        if self.running:
            return self
        binary = redis_server_binary()
        if binary is None:
            raise HarnessError(redis_available()[1])
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="signpost-redis-"))
            self.port = free_port()
        stop_at_exit.register(self)
        self.version = _server_version(binary)
        began = time.monotonic()
        self.process = subprocess.Popen(
            self._command(binary),
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the terminal's Ctrl-C reaches us first, not the server
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """SIGTERM the server, SIGKILL if it does not go in time."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                continue

    def cleanup(self) -> None:
        """Stop and delete the folder."""
        self.stop()
        stop_at_exit.forget(self)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def log_tail(self, lines: int = 30) -> str:
        log = self.workdir / "redis.log" if self.workdir else None
        if log is None or not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()

    def _command(self, binary: str) -> list[str]:
        assert self.workdir is not None and self.port is not None
        command = [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.workdir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
            "--logfile",
            str(self.workdir / "redis.log"),
        ]
        if shutil.which("setpriv"):
            command = ["setpriv", "--pdeathsig=TERM", "--", *command]
        return command

    def _wait_until_ready(self) -> None:
        assert self.process is not None and self.port is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(
                    f"redis-server exited with code {self.process.returncode} during start-up.\n"
                    + self.log_tail()
                )
            if ping(self.port):
                return
            time.sleep(0.05)
        raise HarnessError(
            f"redis-server did not answer within {STARTUP_TIMEOUT:.0f}s on port {self.port}.\n"
            + self.log_tail()
        )

    def __repr__(self) -> str:
        return f"<RedisServer port={self.port} running={self.running}>"


def _server_version(binary: str) -> str:
    """``7.0.15`` from ``redis-server --version`` ("Redis server v=7.0.15 sha=...")."""
    result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    for word in result.stdout.split():
        if word.startswith("v="):
            return word[2:]
    return "unknown"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["serve"]:
        print("usage: python -m tests.harness.redis_server serve", file=sys.stderr)
        return 2
    try:
        with RedisServer() as server:
            print(f"REDIS_URL={server.url}", flush=True)
            print(
                f"(Redis {server.version}, started in {server.startup_seconds:.2f}s; Ctrl-C to stop)",
                file=sys.stderr,
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                while server.running:
                    time.sleep(1)
    except HarnessError as error:
        print(f"tests.harness.redis_server: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
