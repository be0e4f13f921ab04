"""Asking ClamAV's daemon (clamd) whether some bytes carry a virus.

clamd's own protocol over its Unix socket or TCP port: ``zINSTREAM``, then the bytes in chunks
each prefixed by its length (4 bytes, network order), then a zero-length chunk; clamd answers
``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR`` (clamd(8), "INSTREAM"). It is
written here rather than taken from a library: ``clamd`` and ``pyClamd`` on PyPI have had no
release since 2014 and 2017, the maintained fork (``clamav-client``) is GPL-2.0, and the
command is a few lines.

Where clamd listens is one setting, ``CLAMAV_URL``: ``unix:///run/clamav/clamd.ctl`` (Debian's
``clamav-daemon``) or ``tcp://127.0.0.1:3310``. Unset means no scanner (``configured()``).
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

# clamd refuses a stream longer than its StreamMaxLength (25 MB by default); uploads are
# smaller than that (10 MB per file unless a form allows up to 25).
CHUNK_BYTES = 64 * 1024
DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_PORT = 3310


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no usable answer: nothing is known about the file."""


@dataclass(frozen=True)
class ScanResult:
    """What clamd said: clean, or infected with the signature it names."""

    infected: bool
    signature: str = ""


def configured() -> bool:
    """Whether a scanner is set up (``CLAMAV_URL``)."""
    return bool(getattr(settings, "CLAMAV_URL", ""))


def _address(url: str) -> tuple[int, str | tuple[str, int]]:
    """The socket family and address ``CLAMAV_URL`` names."""
    parts = urlsplit(url)
    if parts.scheme == "unix" and parts.path:
        return socket.AF_UNIX, parts.path
    if parts.scheme == "tcp" and parts.hostname:
        return socket.AF_INET, (parts.hostname, parts.port or DEFAULT_PORT)
    raise ScannerUnavailable(
        "CLAMAV_URL must be unix:///path/to/clamd.sock or tcp://host:3310, "
        f"not {parts.scheme or 'a bare path'}"
    )


def _connect(url: str, timeout: float) -> socket.socket:
    family, address = _address(url)
    if family == socket.AF_INET:
        assert isinstance(address, tuple)
        return socket.create_connection(address, timeout=timeout)
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock


def _answer(sock: socket.socket) -> str:
    """clamd's reply, up to the NUL that ends it (the ``z`` commands)."""
    reply = b""
    while not reply.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping(url: str | None = None, timeout: float = 2.0) -> bool:
    """True when clamd answers PING."""
    try:
        with _connect(url or settings.CLAMAV_URL, timeout) as sock:
            sock.sendall(b"zPING\0")
            return _answer(sock) == "PONG"
    except (OSError, ScannerUnavailable):
        return False


def scan_bytes(content: bytes, url: str | None = None, timeout: float | None = None) -> ScanResult:
    """Stream ``content`` to clamd; ScannerUnavailable when it cannot say."""
    url = url or getattr(settings, "CLAMAV_URL", "")
    if not url:
        raise ScannerUnavailable("no virus scanner is set up (CLAMAV_URL)")
    timeout = timeout or float(getattr(settings, "CLAMAV_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    try:
        with _connect(url, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK_BYTES):
                chunk = content[start : start + CHUNK_BYTES]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = _answer(sock)
    except OSError as error:
        raise ScannerUnavailable(f"clamd did not answer: {error.__class__.__name__}") from None
    return _result(reply)


def _result(reply: str) -> ScanResult:
    """``stream: OK`` / ``stream: Eicar-Signature FOUND``; anything else is no answer."""
    _name, _sep, verdict = reply.partition(": ")
    if verdict == "OK":
        return ScanResult(infected=False)
    if verdict.endswith(" FOUND"):
        return ScanResult(infected=True, signature=verdict.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(f"clamd could not scan the file: {reply[:200] or 'no answer'}")
