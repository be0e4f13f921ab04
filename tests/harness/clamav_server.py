"""A real, throwaway ClamAV daemon (clamd) for tests.

Why: what matters in the virus check (the INSTREAM protocol, clamd's answers, what happens
when it is down) is the daemon's behaviour, which a mock would only restate. Debian's
``clamav-daemon`` (``apt-get install clamav-daemon clamav``; ``.ci/run`` installs it) is
started once per test session (per pytest-xdist worker) on a Unix socket in a temp folder and
a free loopback port. freshclam cannot download the signature databases here, so the harness
writes clamd a database of its own: one ``.ndb`` signature for the EICAR test string, the
industry's harmless stand-in for a virus. It loads in about a second. It stops at exit, on
SIGTERM, and (through a parent-death signal) even when the test run is killed.

Command line::

    python -m tests.harness.clamav_server serve   # run one until Ctrl-C, print CLAMAV_URL=...
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.clamav import ping
from tests.harness import cleanup as stop_at_exit
from tests.harness.elasticsearch import HarnessError, free_port

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
# The EICAR test file (eicar.org): 68 printable bytes every scanner reports as a test virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE_NAME = "Signpost.Test.EICAR"


def clamd_binary() -> str | None:
    """Debian's ``clamd`` (in /usr/sbin), or None."""
    return shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/bin")


def clamav_available() -> tuple[bool, str]:
    if clamd_binary() is None:
        return False, "clamd not found (apt-get install clamav-daemon clamav)"
    return True, ""


class ClamdServer:
    """One ``clamd`` with the harness's own signature database."""

    def __init__(self) -> None:
        self.workdir: Path | None = None
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds: float | None = None
        self.version: str | None = None

    @property
    def socket_path(self) -> Path:
        if self.workdir is None:
            raise HarnessError("clamd has not been started")
        return self.workdir / "clamd.sock"

    @property
    def url(self) -> str:
        """Where clamd listens, as ``CLAMAV_URL`` names it (the Unix socket)."""
        return f"unix://{self.socket_path}"

    @property
    def tcp_url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> ClamdServer:
        if self.running:
            return self
        binary = clamd_binary()
        if binary is None:
            raise HarnessError(clamav_available()[1])
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="signpost-clamd-"))
            self.port = free_port()
            self._write_config()
        stop_at_exit.register(self)
        self.version = _version(binary)
        began = time.monotonic()
        command = [binary, "--config-file", str(self.workdir / "clamd.conf")]
        if shutil.which("setpriv"):
            command = ["setpriv", "--pdeathsig=TERM", "--", *command]
        self.process = subprocess.Popen(
            command,
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """SIGTERM clamd (SIGKILL if it lingers); the socket then refuses connections."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(STOP_TIMEOUT)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(FileNotFoundError, HarnessError):
            self.socket_path.unlink()

    def cleanup(self) -> None:
        self.stop()
        stop_at_exit.forget(self)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def log_tail(self, lines: int = 30) -> str:
        log = self.workdir / "clamd.log" if self.workdir else None
        if log is None or not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> ClamdServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()

    def _write_config(self) -> None:
        assert self.workdir is not None
        database = self.workdir / "db"
        database.mkdir()
        # An extended signature (.ndb): name, target (0: any file), offset (*: anywhere), hex.
        (database / "signpost-test.ndb").write_text(f"{SIGNATURE_NAME}:0:*:{EICAR.hex()}\n")
        config = {
            "Foreground": "yes",
            "LocalSocket": str(self.socket_path),
            "TCPSocket": str(self.port),
            "TCPAddr": "127.0.0.1",
            "DatabaseDirectory": str(database),
            "LogFile": str(self.workdir / "clamd.log"),
            "PidFile": str(self.workdir / "clamd.pid"),
            "StreamMaxLength": "30M",
            "SelfCheck": "0",
        }
        (self.workdir / "clamd.conf").write_text(
            "".join(f"{key} {value}\n" for key, value in config.items())
        )

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(
                    f"clamd exited with code {self.process.returncode} during start-up.\n"
                    + self.log_tail()
                )
            if self.socket_path.exists() and ping(self.url, timeout=1.0):
                return
            time.sleep(0.1)
        raise HarnessError(
            f"clamd did not answer within {STARTUP_TIMEOUT:.0f}s.\n" + self.log_tail()
        )

    def __repr__(self) -> str:
        return f"<ClamdServer {self.workdir} running={self.running}>"


def _version(binary: str) -> str:
    """``1.4.6`` from ``clamd --version`` ("ClamAV 1.4.6")."""
    result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    words = result.stdout.split()
    return words[1].split("/")[0] if len(words) > 1 else "unknown"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["serve"]:
        print("usage: python -m tests.harness.clamav_server serve", file=sys.stderr)
        return 2
    try:
        with ClamdServer() as server:
            print(f"CLAMAV_URL={server.url}", flush=True)
            print(
                f"(ClamAV {server.version}, started in {server.startup_seconds:.2f}s; Ctrl-C to stop)",
                file=sys.stderr,
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                while server.running:
                    time.sleep(1)
    except HarnessError as error:
        print(f"tests.harness.clamav_server: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
