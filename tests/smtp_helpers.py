"""A real SMTP server on a free local port (aiosmtpd), for tests and for trying alerts by
hand: every message it receives is kept, parsed, in `.messages`."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time

from aiosmtpd.controller import Controller

LINK_RE = re.compile(r"https?://\S+?/alerts/(confirm|unsubscribe|manage)/[^\s/]+/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Keeper:
    def __init__(self, server):
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(message)
        return "250 Message accepted for delivery"


class LocalSMTPServer:
    def __init__(self):
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.controller = Controller(_Keeper(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def settings(self) -> dict:
        """Django settings that send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"the SMTP server got {len(self.messages)} messages, not {count}, in {timeout} s")


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, kind: str) -> str:
    """The first confirm / unsubscribe / manage link in a mail's text."""
    for match in LINK_RE.finditer(text_of(message)):
        if match.group(1) == kind:
            return match.group(0)
    raise AssertionError(f"no {kind} link in the mail:\n{text_of(message)}")
