"""Real mail servers on the loopback interface: one that has hung, and one that takes mail.

``HungSMTPServer`` is what a council's relay looks like on a bad day: it accepts the TCP
connection and then never says a word, so a client waits for the greeting until its own
timeout (EMAIL_TIMEOUT). Nothing is faked inside Django: its SMTP backend really connects,
really waits, really gives up.

``MailSink`` is a working SMTP server (aiosmtpd, a maintained asyncio server) that keeps every
message it is given, so a test can count what arrived, and how often, per recipient. With
``delay`` it answers each message slowly, to make two senders overlap. With ``before_keeping``
a test sees each message (its envelope: sender, recipients, content) before the server accepts
it, and may refuse it: then the sender is told "451 try again" and nothing is kept, which is
what a sender sees when the connection drops before the relay accepted the message.

    with HungSMTPServer() as hung, MailSink() as sink:
        settings.EMAIL_PORT = hung.port      # requests still answer at once
        settings.EMAIL_PORT = sink.port      # the relay recovers
        assert sink.recipients() == [...]
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on at this moment (aiosmtpd needs to be told one)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class HungSMTPServer:
    """Accepts connections and holds them open in silence until stopped."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(128)
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self.connections = 0
        self._held: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="hung-smtp", daemon=True)

    def _accept(self) -> None:
        """Take every connection and keep it: the client waits for a greeting that never comes."""
        while not self._stopping.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            self._held.append(connection)

    def start(self) -> HungSMTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._listener.close()

    def __enter__(self) -> HungSMTPServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _Keep:
    """aiosmtpd handler: keep each message, after ``delay`` seconds."""

    def __init__(
        self, sink: MailSink, delay: float, before_keeping: Callable[[Any], bool] | None
    ) -> None:
        self.sink = sink
        self.delay = delay
        self.before_keeping = before_keeping

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.before_keeping is not None and not self.before_keeping(envelope):
            return "451 4.3.0 Not accepted, try again later"
        message = message_from_bytes(envelope.content)
        with self.sink.lock:
            for recipient in envelope.rcpt_tos:
                self.sink.received.append((recipient, message))
        return "250 Message accepted for delivery"


class MailSink:
    """A working SMTP server that keeps everything it receives."""

    def __init__(
        self, delay: float = 0.0, before_keeping: Callable[[Any], bool] | None = None
    ) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[tuple[str, Message]] = []
        self._controller = Controller(
            _Keep(self, delay, before_keeping), hostname=HOST, port=self.port
        )

    def recipients(self) -> Counter[str]:
        """How many messages each address received."""
        with self.lock:
            return Counter(recipient for recipient, _message in self.received)

    def messages_to(self, address: str) -> list[Message]:
        with self.lock:
            return [message for recipient, message in self.received if recipient == address]

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
