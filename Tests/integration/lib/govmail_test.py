"""Shared helpers for GovMail integration scenarios (Tests/integration/NN-name).

A scenario is an executable script that prints what it checks and exits non-zero on failure:

    #!/usr/bin/env python3
    import sys, os; sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
    from govmail_test import *

    with GovMailServer(listeners=[echo_listener("echo", tls="implicit")]) as srv:
        s = srv.tls_connect("echo")
        expect_line(s, "220 ")
        check(True, "greeting received")

GovMailServer makes a temporary state folder, runs `govmail cert dev`, writes a YAML config with
loopback listeners on port 0, starts `govmail serve --ports-file`, waits for the ports, and on exit
stops the server with SIGTERM and checks that it exits 0. GOVMAIL_BIN names the binary.
"""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

__all__ = ["GovMailServer", "echo_listener", "check", "step", "fail", "expect_line", "read_line",
           "require_tool", "client_tls_context", "LineReader", "raise_open_files_limit", "wait_until",
           "smtp_listeners", "SMTP_TEST_EXTRA", "provision", "set_password", "maildir_messages", "wait_for_messages",
           "smtp_submit", "sample_message", "activity_rows", "SERVE_AS_ROOT"]

# CI and the test machines run as root; `serve` refuses that unless told (issue 18 item 5).
SERVE_AS_ROOT = ["--allow-root"] if os.geteuid() == 0 else []


def step(message):
    """Prints what the scenario is about to check."""
    print(f"-- {message}", flush=True)


def check(condition, message):
    """Prints PASS/FAIL for one assertion; a failure ends the scenario with exit 1."""
    if condition:
        print(f"PASS {message}", flush=True)
    else:
        fail(message)


def fail(message):
    print(f"FAIL {message}", flush=True)
    raise SystemExit(1)


def require_tool(name):
    """A missing client is reported loudly, never silently passed."""
    path = shutil.which(name)
    if not path:
        fail(f"required client `{name}` is not installed (scripts/test installs it with apt)")
    return path


def wait_until(predicate, timeout, interval=0.05):
    """Polls `predicate` until it is true or `timeout` seconds passed; returns its last value."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value or time.time() >= deadline:
            return value
        time.sleep(interval)


def raise_open_files_limit(wanted):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(hard, max(soft, wanted))
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def echo_listener(name, tls="implicit", address="127.0.0.1", protocol="test-echo"):
    """A listener entry for the config (port 0)."""
    return {"name": name, "protocol": protocol, "address": address, "port": 0, "tls": tls}


def client_tls_context(cafile=None, minimum=ssl.TLSVersion.TLSv1_2, maximum=None):
    """A client context; with `cafile` the server certificate is verified, else it is not (loopback tests)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cafile:
        ctx.load_verify_locations(cafile)
        ctx.check_hostname = True
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = minimum
    if maximum:
        ctx.maximum_version = maximum
    return ctx


class LineReader:
    """Reads CRLF lines from a (TLS) socket with a timeout."""

    def __init__(self, sock, timeout=5):
        self.sock = sock
        self.buffer = b""
        sock.settimeout(timeout)

    def line(self):
        """The next line without CRLF, or None at EOF."""
        while b"\n" not in self.buffer:
            try:
                data = self.sock.recv(65536)
            except (ConnectionResetError, ssl.SSLError):
                data = b""
            if not data:
                if self.buffer:
                    rest, self.buffer = self.buffer, b""
                    return rest.decode("utf-8", "replace")
                return None
            self.buffer += data
        raw, self.buffer = self.buffer.split(b"\n", 1)
        return raw.rstrip(b"\r").decode("utf-8", "replace")

    def send(self, text):
        self.sock.sendall(text.encode() + b"\r\n")


def read_line(sock, timeout=5):
    """Reads one line from a socket (one-shot; use LineReader for a dialog)."""
    return LineReader(sock, timeout).line()


def expect_line(reader, prefix, what=None):
    """Reads a line and checks it starts with `prefix`."""
    line = reader.line()
    check(line is not None and line.startswith(prefix), what or f"server answered {prefix!r} (got {line!r})")
    return line


def _yaml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(str(v))


class GovMailServer:
    """Runs `govmail serve` with a temporary state folder and config; a context manager.

    listeners: list of dicts (see echo_listener); limits: dict for `limits:`; extra: more YAML
    top-level text (e.g. an `smtp:` section); grace: --grace-period; host: certificate host name.
    Attributes: state_dir, config_path, cert_path, key_path, ports (name -> port), process, log_path.
    """

    def __init__(self, listeners=None, limits=None, extra="", grace=5, host="mail.test", make_cert=True,
                 expect_exit=0, tls=None, prepare=None, allow_root=True):
        self.binary = os.environ.get("GOVMAIL_BIN") or fail("GOVMAIL_BIN is not set (scripts/test sets it)")
        self.listeners = listeners or [echo_listener("echo-implicit", "implicit"),
                                       echo_listener("echo-starttls", "starttls"),
                                       echo_listener("echo-plain", "none")]
        self.limits = limits or {}
        self.extra = extra
        self.grace = grace
        self.host = host
        self.make_cert = make_cert
        self.expect_exit = expect_exit
        self.tls = tls or {}
        self.prepare = prepare
        self.allow_root = allow_root
        self.process = None
        self.ports = {}

    # -- lifecycle
    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="govmail-it-")
        self.state_dir = os.path.join(self.tmp, "state")
        os.makedirs(self.state_dir)
        self.config_path = os.path.join(self.tmp, "govmail.yaml")
        self.ports_path = os.path.join(self.tmp, "ports.json")
        self.log_path = os.path.join(self.tmp, "server.log")
        self.cert_path = os.path.join(self.state_dir, "tls", "cert.pem")
        self.key_path = os.path.join(self.state_dir, "tls", "key.pem")
        self.write_config()
        if self.make_cert:
            self.run_cli("cert", "dev", "--host", self.host)
        if self.prepare:
            self.prepare(self)
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is not None:
                self.print_log_tail()
            if self.process and self.process.poll() is None:
                self.stop()
        finally:
            if exc_type is None or os.environ.get("GOVMAIL_KEEP_TMP") is None:
                shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def write_config(self):
        lines = [f"hostname: {self.host}", f"state_dir: {json.dumps(self.state_dir)}", "log_level: info"]
        if self.tls:
            lines.append("tls:")
            lines += [f"  {k}: {_yaml_value(v)}" for k, v in self.tls.items()]
        lines.append("listeners:")
        for l in self.listeners:
            lines.append(f"  - name: {json.dumps(l['name'])}")
            lines += [f"    {k}: {_yaml_value(v)}" for k, v in l.items() if k != "name"]
        if self.limits:
            lines.append("limits:")
            lines += [f"  {k}: {_yaml_value(v)}" for k, v in self.limits.items()]
        with open(self.config_path, "w") as f:
            f.write("\n".join(lines) + "\n" + self.extra)

    def run_cli(self, *args, check_status=True):
        """Runs `govmail ARGS --config CONFIG`; returns CompletedProcess."""
        p = subprocess.run([self.binary, *args, "--config", self.config_path], capture_output=True, text=True, timeout=60)
        if check_status and p.returncode != 0:
            fail(f"`govmail {' '.join(args)}` exited {p.returncode}: {p.stderr.strip()}")
        return p

    def start(self, extra_args=()):
        """Starts the server and waits (up to 20 s) for the ports file."""
        if os.path.exists(self.ports_path):
            os.unlink(self.ports_path)
        self.log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "serve", "--config", self.config_path, "--ports-file", self.ports_path,
                                         "--grace-period", str(self.grace),
                                         *(SERVE_AS_ROOT if self.allow_root else []), *extra_args],
                                        stdout=self.log_file, stderr=subprocess.STDOUT)
        if not wait_until(lambda: os.path.exists(self.ports_path) or self.process.poll() is not None, 20):
            fail("server did not write its ports file within 20 s")
        if self.process.poll() is not None:
            self.print_log_tail()
            fail(f"server exited at startup with status {self.process.returncode}")
        with open(self.ports_path) as f:
            self.ports = json.load(f)

    def stop(self, timeout=None):
        """SIGTERM, then checks the exit status (expect_exit, default 0) within grace + 10 s."""
        self.signal(signal.SIGTERM)
        return self.wait_exit(timeout if timeout is not None else self.grace + 10)

    def wait_exit(self, timeout):
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self.print_log_tail()
            fail(f"server did not exit within {timeout} s after SIGTERM")
        self.log_file.close()
        log = self.log()
        if "Sanitizer" in log:
            print("\n".join(l for l in log.splitlines() if "Sanitizer" in l or l.startswith("    #"))[:6000])
        check("WARNING: ThreadSanitizer" not in log and "ERROR: AddressSanitizer" not in log,
              "no sanitizer reports in the server log")
        check(code == self.expect_exit, f"server exited with status {code} (expected {self.expect_exit})")
        return code

    def signal(self, sig):
        self.process.send_signal(sig)

    # -- introspection
    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def print_log_tail(self, n=30):
        try:
            print("---- server log (last lines) ----")
            print("\n".join(self.log().splitlines()[-n:]))
            print("---------------------------------", flush=True)
        except OSError:
            pass

    def rss_kib(self):
        """Resident memory of the server process in KiB (from /proc)."""
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.process.poll() is None

    # -- clients
    def port(self, name):
        return self.ports[name]

    def address(self, name):
        for l in self.listeners:
            if l["name"] == name:
                return l.get("address", "127.0.0.1")
        return "127.0.0.1"

    def connect(self, name, timeout=5, source=None):
        """A plain TCP socket to listener `name` (optionally from a source address such as 127.0.0.2)."""
        addr = self.address(name)
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(timeout)
        if source:
            s.bind((source, 0))
        s.connect((addr, self.port(name)))
        return s

    def tls_connect(self, name, context=None, timeout=5, server_hostname=None):
        """A TLS socket to an implicit-TLS listener (certificate not verified unless `context` says so)."""
        ctx = context or client_tls_context()
        return ctx.wrap_socket(self.connect(name, timeout), server_hostname=server_hostname or self.host)

    def starttls(self, reader, context=None):
        """On a STARTTLS listener after the greeting: STARTTLS, read 220, return a LineReader over TLS."""
        reader.send("STARTTLS")
        expect_line(reader, "220 ", "server accepted STARTTLS")
        ctx = context or client_tls_context()
        tls = ctx.wrap_socket(reader.sock, server_hostname=self.host)
        return LineReader(tls)


# -- SMTP helpers (issue 5) ------------------------------------------------------------------

# Fast password hashing and quick, small throttle numbers for tests (the defaults are for production).
SMTP_TEST_EXTRA = """passwords:
  scrypt_log_n: 10
  min_length: 8
auth:
  reply_delay: 0.05
  failure_delay_step: 0.3
  max_delay: 1.0
  max_failures: 4
  window: 60
  block_duration: 60
"""


def smtp_listeners(submission=True, implicit=True, inbound=False):
    """Listener entries: `submission` (STARTTLS, 587-style), `submissions` (implicit TLS, 465-style), `smtp` (25-style)."""
    out = []
    if submission:
        out.append({"name": "submission", "protocol": "submission", "address": "127.0.0.1", "port": 0, "tls": "starttls"})
    if implicit:
        out.append({"name": "submissions", "protocol": "submission", "address": "127.0.0.1", "port": 0, "tls": "implicit"})
    if inbound:
        out.append({"name": "smtp", "protocol": "smtp", "address": "127.0.0.1", "port": 0, "tls": "starttls"})
    return out


def provision(srv, domain, accounts, unit="SNV", aliases=None, quota=None):
    """Creates the domain, a unit and accounts with the real CLI (works while the server runs).

    accounts: {address: password}; aliases: {alias: account}; quota: e.g. "10M" for every account.
    """
    if domain not in srv.run_cli("domain", "list", check_status=False).stdout:
        srv.run_cli("domain", "add", domain)
    if unit not in srv.run_cli("unit", "list", check_status=False).stdout:
        srv.run_cli("unit", "add", unit, "--name", "Sở Nội vụ", "--level", "province")
    for address, password in accounts.items():
        args = [srv.binary, "account", "add", address, "--name", address.split("@")[0], "--unit", unit,
                "--password-stdin", "--config", srv.config_path]
        if quota:
            args += ["--quota", quota]
        p = subprocess.run(args, input=password + "\n", capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            fail(f"`govmail account add {address}` exited {p.returncode}: {p.stderr.strip()}")
    for alias, account in (aliases or {}).items():
        srv.run_cli("alias", "add", alias, account)


def set_password(srv, address, password):
    p = subprocess.run([srv.binary, "account", "passwd", address, "--password-stdin", "--config", srv.config_path],
                       input=password + "\n", capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        fail(f"`govmail account passwd {address}` exited {p.returncode}: {p.stderr.strip()}")


def maildir_messages(srv, address, folder=""):
    """{file name: bytes} of every message in an account's folder (INBOX by default), new/ and cur/."""
    local, domain = address.lower().split("@")
    root = os.path.join(srv.state_dir, "mail", domain, local)
    if folder:
        root = os.path.join(root, "." + folder)
    out = {}
    for sub in ("new", "cur"):
        d = os.path.join(root, sub)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                with open(os.path.join(d, name), "rb") as f:
                    out[name] = f.read()
    return out


def wait_for_messages(srv, address, count, timeout=5):
    """Waits until the INBOX holds at least `count` messages; returns the list of their bytes."""
    wait_until(lambda: len(maildir_messages(srv, address)) >= count, timeout)
    return list(maildir_messages(srv, address).values())


def sample_message(sender, recipients, subject, body="Nội dung công văn.\r\n", headers=None):
    """A small RFC 5322 message (CRLF) without Date or Message-ID (the server adds them)."""
    lines = [f"From: {sender}", f"To: {', '.join(recipients)}", f"Subject: {subject}",
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    lines += headers or []
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def smtp_submit(srv, user, password, recipients, message, listener="submissions", sender=None, timeout=20):
    """Submits one message with smtplib (implicit TLS for `submissions`, STARTTLS otherwise); returns the DATA reply."""
    import smtplib
    ctx = client_tls_context()
    if listener == "submissions":
        c = smtplib.SMTP_SSL("127.0.0.1", srv.port(listener), context=ctx, timeout=timeout)
    else:
        c = smtplib.SMTP("127.0.0.1", srv.port(listener), timeout=timeout)
        c.ehlo("client.test")
        c.starttls(context=ctx)
    try:
        c.ehlo("client.test")
        c.login(user, password)
        c.mail(sender or user)
        for r in recipients:
            code, text = c.rcpt(r)
            if code >= 300:
                raise smtplib.SMTPRecipientsRefused({r: (code, text)})
        return c.data(message)
    finally:
        try:
            c.quit()
        except Exception:
            pass


def activity_rows(srv, address):
    """The usage counter rows (dicts) of one account, read with python's sqlite3."""
    import sqlite3
    db = sqlite3.connect(os.path.join(srv.state_dir, "govmail.sqlite"))
    db.row_factory = sqlite3.Row
    try:
        acc = db.execute("SELECT id FROM account WHERE address = ? COLLATE NOCASE", (address,)).fetchone()
        if acc is None:
            return []
        return [dict(r) for r in db.execute("SELECT * FROM activity_daily WHERE account_id = ?", (acc["id"],))]
    finally:
        db.close()
