"""Helpers for the relay scenarios (Tests/integration/5N-relay-*): a local SMTP sink (aiosmtpd)
that plays the smarthost, and a writer for the relay spool.

The spool format (Sources/GovMailServer/Relay/RelayQueue.swift), under <state>/queue/:
  messages/<id>.eml    the message, CRLF line ends, written first
  envelopes/<id>.json  {"id", "sender" ("" for <>), "accountID" (or null), "recipients":
                        [{"address", "state": "pending"|"delivered"|"failed", "lastResult"?}],
                        "createdAt", "attempts", "nextAttemptAt" (Unix seconds), "size"}
                       written last, through tmp/ and rename, so a reader never sees half an item.
Until SMTP submission is merged, the scenarios populate the spool with this writer.
"""
import json
import os
import secrets
import socket
import ssl
import threading
import logging
import time

from govmail_test import fail

# aiosmtpd 1.4 logs a warning about its own use of a deprecated attribute during AUTH; not ours to fix.
logging.getLogger("mail.log").setLevel(logging.ERROR)

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:
    fail("aiosmtpd is not installed (scripts/test installs it with pip: ensure_pip aiosmtpd=aiosmtpd)")

__all__ = ["SMTPSink", "write_spool_item", "spool_ids", "reserve_port", "sample_message"]


def sample_message(subject="Công văn số 15/SNV", body="Nội dung công văn: MẬT-4471.\r\n.dòng bắt đầu bằng dấu chấm\r\n"):
    return (f"From: An <an@so.gov.vn>\r\nTo: <b@example.com>\r\nSubject: {subject}\r\n"
            f"Message-ID: <{secrets.token_hex(8)}@so.gov.vn>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}").encode()


def write_spool_item(state_dir, sender, recipients, message, created=None, next_attempt=None):
    """Writes one relay item the way RelayQueue.enqueue does; returns its id."""
    now = time.time() if created is None else created
    item_id = "%010x-%s" % (int(now * 1000), secrets.token_hex(6))
    q = os.path.join(state_dir, "queue")
    for d in ("messages", "envelopes", "tmp"):
        os.makedirs(os.path.join(q, d), mode=0o700, exist_ok=True)
    with open(os.path.join(q, "messages", item_id + ".eml"), "wb") as f:
        f.write(message)
        f.flush()
        os.fsync(f.fileno())
    envelope = {"id": item_id, "sender": sender, "accountID": None,
                "recipients": [{"address": r, "state": "pending"} for r in recipients],
                "createdAt": now, "attempts": 0, "nextAttemptAt": now if next_attempt is None else next_attempt,
                "size": len(message)}
    tmp = os.path.join(q, "tmp", item_id + ".json")
    with open(tmp, "w") as f:
        json.dump(envelope, f)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(q, "envelopes", item_id + ".json"))
    return item_id


def spool_ids(state_dir):
    d = os.path.join(state_dir, "queue", "envelopes")
    return sorted(n[:-5] for n in os.listdir(d) if n.endswith(".json")) if os.path.isdir(d) else []


def reserve_port():
    """A bound but not listening socket: connections to its port are refused until it is closed."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    return s


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.sink.rcpt_reply(address)
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        with self.sink.lock:
            self.sink.rcpt_log.append((address, reply, session.ssl is not None))
        return reply

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.messages.append({"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                                       "content": envelope.original_content or envelope.content,
                                       "tls": session.ssl is not None,
                                       "auth": session.authenticated})
        return "250 2.0.0 Ok: queued by sink"


class _Controller(Controller):
    def _trigger_server(self):
        # Listening on port 0: learn the real port before aiosmtpd connects to itself.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SMTPSink:
    """The smarthost: STARTTLS with the given certificate (required), AUTH PLAIN/LOGIN when
    credentials are given. rcpt_reply(address) -> reply line decides each RCPT."""

    def __init__(self, cert, key, port=0, credentials=None, rcpt_reply=None):
        self.lock = threading.Lock()
        self.messages = []
        self.rcpt_log = []
        self.rcpt_reply = rcpt_reply or (lambda address: "250 2.1.5 Ok")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        kwargs = {}
        if credentials:
            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = (auth_data.login.decode(), auth_data.password.decode()) == credentials
                return AuthResult(success=ok)
            kwargs = {"authenticator": authenticator, "auth_required": True}
        self.controller = _Controller(_Handler(self), hostname="127.0.0.1", port=port, tls_context=ctx,
                                      require_starttls=True, decode_data=False, **kwargs)

    def __enter__(self):
        self.controller.start()
        self.port = self.controller.port
        return self

    def __exit__(self, *exc):
        self.controller.stop()
        return False

    def received(self):
        with self.lock:
            return list(self.messages)
