"""Stop the servers a test run started, however the run ends.

Elasticsearch, Redis and ClamAV are each started by the harness as child processes with a
folder of their own. Whatever registers here has its ``cleanup()`` called at interpreter exit
and on SIGTERM/SIGHUP. Ctrl-C (SIGINT) already becomes KeyboardInterrupt, which ends in a
normal exit and so in atexit; a SIGKILLed run is covered by each server's parent-death signal.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
from typing import Protocol


class Stoppable(Protocol):
    def cleanup(self) -> None: ...


_running: set[Stoppable] = set()
_installed = False


def _cleanup_all() -> None:
    for server in list(_running):
        server.cleanup()


def _on_signal(signum: int, frame: object) -> None:
    """Stop servers, then die of the same signal as we would have without the handler."""
    _cleanup_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(_cleanup_all)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, _on_signal)


def register(server: Stoppable) -> None:
    """Stop ``server`` at exit or on SIGTERM/SIGHUP unless it is forgotten first."""
    _install()
    _running.add(server)


def forget(server: Stoppable) -> None:
    """``server`` has stopped by itself: nothing to do for it at exit."""
    _running.discard(server)
