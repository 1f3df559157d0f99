"""IMAP helpers for the integration scenarios 35-39 (kept apart from govmail_test.py).

    from imap_helpers import *
    with imap_server() as srv:
        add_account(srv, "an@tinh.gov.vn", "mat-khau-dai-123")
        m = imap_login(srv, "an@tinh.gov.vn", "mat-khau-dai-123")
"""
import email.utils
import imaplib
import os
import ssl
import subprocess
import time

from govmail_test import GovMailServer, check, fail, step, client_tls_context

PASSWORD = "mat-khau-rat-dai-2026"


def imap_listeners():
    """An implicit-TLS listener (993-style) and a STARTTLS one (143-style), both on port 0."""
    return [
        {"name": "imaps", "protocol": "imap", "address": "127.0.0.1", "port": 0, "tls": "implicit"},
        {"name": "imap", "protocol": "imap", "address": "127.0.0.1", "port": 0, "tls": "starttls"},
    ]


def imap_server(auth=None, **kw):
    """A GovMailServer with the IMAP listeners, cheap scrypt and short authentication delays
    (`auth` overrides keys of the `auth:` section)."""
    settings = {"reply_delay": 0.01, "failure_delay_step": 0.05}
    settings.update(auth or {})
    extra = ("passwords:\n  scrypt_log_n: 10\nauth:\n" + "".join(f"  {k}: {v}\n" for k, v in settings.items())
             + kw.pop("extra", ""))
    return GovMailServer(listeners=kw.pop("listeners", imap_listeners()), extra=extra, **kw)


_made = set()


def add_account(srv, address, password=PASSWORD, quota=None):
    """Creates the domain and a unit when needed, then the account with `password`."""
    domain = address.split("@", 1)[1]
    if ("unit", srv.state_dir) not in _made:
        srv.run_cli("unit", "add", "UBND", "--name", "Ủy ban nhân dân tỉnh", "--level", "province")
        _made.add(("unit", srv.state_dir))
    if (domain, srv.state_dir) not in _made:
        srv.run_cli("domain", "add", domain)
        _made.add((domain, srv.state_dir))
    args = [srv.binary, "account", "add", address, "--name", "Nguyễn Văn An", "--unit", "UBND", "--password-stdin",
            "--config", srv.config_path]
    if quota:
        args += ["--quota", quota]
    p = subprocess.run(args, input=password + "\n", capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        fail(f"account add {address} exited {p.returncode}: {p.stderr.strip()}")


def maildir_root(srv, address):
    local, domain = address.split("@", 1)
    return os.path.join(srv.state_dir, "mail", domain, local.lower())


def folder_dir(srv, address, folder="INBOX"):
    """The Maildir directory of a folder (ASCII folder names only)."""
    root = maildir_root(srv, address)
    return root if folder == "INBOX" else os.path.join(root, "." + folder)


class _SourcedIMAP4_SSL(imaplib.IMAP4_SSL):
    """imaplib over implicit TLS from a chosen loopback source address (e.g. 127.0.0.7)."""

    def __init__(self, srv, name, source, timeout):
        self._srv, self._name, self._source = srv, name, source
        super().__init__("127.0.0.1", srv.port(name), ssl_context=client_tls_context(), timeout=timeout)

    def _create_socket(self, timeout):
        sock = self._srv.connect(self._name, timeout=timeout, source=self._source)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)


def imap_ssl(srv, name="imaps", timeout=10, source=None):
    """imaplib over implicit TLS (certificate not verified: development certificate), optionally
    from a loopback source address so the server sees another client."""
    if source:
        return _SourcedIMAP4_SSL(srv, name, source, timeout)
    return imaplib.IMAP4_SSL("127.0.0.1", srv.port(name), ssl_context=client_tls_context(), timeout=timeout)


def imap_login(srv, address, password=PASSWORD, name="imaps"):
    m = imap_ssl(srv, name)
    typ, _ = m.login(address, password)
    check(typ == "OK", f"LOGIN as {address}")
    return m


def make_message(subject="Thông báo", body="Nội dung thư.\r\n", sender="van.thu@tinh.gov.vn",
                 to="an@tinh.gov.vn", date=None, extra_headers=""):
    """A small RFC 5322 message (UTF-8 subject as an encoded word, UTF-8 body), CRLF line ends."""
    from email.header import Header
    subj = Header(subject, "utf-8").encode() if any(ord(c) > 127 for c in subject) else subject
    date = date or email.utils.formatdate(1790000000, localtime=False)
    text = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subj}\r\nDate: {date}\r\n"
            f"Message-ID: <{time.time_ns()}.{os.getpid()}@tinh.gov.vn>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n{extra_headers}\r\n{body}")
    return text.encode("utf-8")


_seq = [0]


def drop_into_new(directory, data):
    """Delivers like an MTA would: tmp/ then rename into new/ (no IMAP involved)."""
    _seq[0] += 1
    name = f"{int(time.time())}.M{_seq[0]}P{os.getpid()}Q{_seq[0]}.it-host,S={len(data)}"
    tmp = os.path.join(directory, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(directory, "new", name))
    return name


def expect_ok(result, what):
    typ, data = result
    check(typ == "OK", f"{what} (got {typ} {data!r})")
    return data


def expect_no(fn, what, contains=None):
    """Runs an imaplib call that must fail with NO/BAD; returns the error text."""
    try:
        typ, data = fn()
    except imaplib.IMAP4.error as e:
        text = str(e)
        if contains:
            check(contains in text, f"{what}: error mentions {contains} (got {text!r})")
        else:
            check(True, what)
        return text
    text = " ".join(x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in data or [])
    check(typ != "OK", f"{what}: refused ({typ} {text!r})")
    if contains:
        check(contains in text, f"{what}: answer mentions {contains} (got {text!r})")
    return text


class RawIMAP:
    """A line-level IMAP client on a socket (for IDLE and exact-response assertions)."""

    def __init__(self, sock, timeout=10):
        self.sock = sock
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.tag = 0

    def line(self, timeout=None):
        if timeout is not None:
            self.sock.settimeout(timeout)
        while b"\r\n" not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                fail("server closed the IMAP connection")
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def send(self, text):
        self.sock.sendall(text.encode() + b"\r\n")

    def command(self, text):
        """Sends a tagged command; returns (untagged lines, tagged line)."""
        self.tag += 1
        tag = f"r{self.tag}"
        self.send(f"{tag} {text}")
        untagged = []
        while True:
            l = self.line()
            if l.startswith(tag + " "):
                return untagged, l
            untagged.append(l)

    def ok(self, text):
        untagged, tagged = self.command(text)
        check(" OK" in tagged, f"{text.split()[0]} answered OK (got {tagged!r})")
        return untagged

    def lines_until(self, predicate, timeout):
        """Reads lines until predicate(collected) is true or `timeout` seconds pass; returns them."""
        got = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                got.append(self.line(timeout=max(0.05, deadline - time.time())))
            except (TimeoutError, OSError):
                break
            if predicate(got):
                break
        self.sock.settimeout(10)
        return got


def raw_login(srv, address, password=PASSWORD, name="imaps"):
    s = client_tls_context().wrap_socket(srv.connect(name, timeout=10), server_hostname=srv.host)
    r = RawIMAP(s)
    greeting = r.line()
    check(greeting.startswith("* OK"), f"greeting ({greeting!r})")
    r.ok(f'LOGIN "{address}" "{password}"')
    return r


def mutf7(name):
    """Modified UTF-7 (RFC 3501 §5.1.3) for a mailbox name, as clients send it."""
    import base64
    out, buf = [], []

    def flush():
        if buf:
            b = "".join(buf).encode("utf-16-be")
            out.append("&" + base64.b64encode(b).decode().rstrip("=").replace("/", ",") + "-")
            buf.clear()

    for c in name:
        if 0x20 <= ord(c) <= 0x7E:
            flush()
            out.append("&-" if c == "&" else c)
        else:
            buf.append(c)
    flush()
    return "".join(out)


def unmutf7(text):
    import base64
    import re

    def dec(m):
        s = m.group(1)
        if s == "":
            return "&"
        s = s.replace(",", "/")
        s += "=" * (-len(s) % 4)
        return base64.b64decode(s).decode("utf-16-be")

    return re.sub(r"&([^-]*)-", dec, text)


def list_entries(data):
    """imaplib LIST data → list of (attributes set, delimiter, decoded name)."""
    import re
    out = []
    for item in data:
        if item is None:
            continue
        line = item.decode() if isinstance(item, bytes) else str(item)
        m = re.match(r'\(([^)]*)\) (NIL|"[^"]*") (.*)$', line)
        if not m:
            fail(f"unparseable LIST line {line!r}")
        name = m.group(3)
        if name.startswith('"'):
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out.append((set(m.group(1).split()), m.group(2).strip('"'), unmutf7(name)))
    return out


# Commands this imaplib (3.11) does not know; registering them lets `_simple_command`/`uid` send them.
for _cmd, _states in {"MOVE": ("SELECTED",), "ID": ("NONAUTH", "AUTH", "SELECTED"),
                      "IDLE": ("AUTH", "SELECTED"), "UNSELECT": ("SELECTED",), "ENABLE": ("AUTH",)}.items():
    imaplib.Commands.setdefault(_cmd, _states)


def qname(name):
    """A mailbox name for imaplib arguments: modified UTF-7, quoted (imaplib does not quote spaces)."""
    return '"' + mutf7(name).replace("\\", "\\\\").replace('"', '\\"') + '"'
