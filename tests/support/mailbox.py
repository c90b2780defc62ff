"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import re
import threading
import time
from email.message import Message

from aiosmtpd.controller import Controller

from tests.support.processes import free_port


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, _server, _session, envelope) -> str:
        message = email.message_from_bytes(envelope.content)
        with self.box.lock:
            for rcpt in envelope.rcpt_tos:
                self.box.messages.append((rcpt.lower(), message))
        return "250 Message accepted for delivery"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, Message]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> Mailbox:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for rcpt, m in self.messages if rcpt == address.lower()]

    def wait_for(self, address: str, subject: str = "", timeout: float = 10.0) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.to(address)):
                if subject.lower() in str(message["Subject"]).lower():
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no mail to {address} with subject containing {subject!r}")


def text_of(message: Message) -> str:
    if message.is_multipart():
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                return part.get_payload(decode=True).decode()
    return message.get_payload(decode=True).decode()


def first_link(message: Message, contains: str = "") -> str:
    links = re.findall(r"https?://[^\s\"'<>]+", text_of(message))
    for link in links:
        if contains in link:
            return link
    raise AssertionError(f"no link containing {contains!r} in: {text_of(message)}")
