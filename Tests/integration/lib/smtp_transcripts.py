"""Replays the SMTP transcripts (Tests/SMTPProtocolTests/Transcripts/*.txt) against the real `govmail serve`.

The same files run in-process in `swift test` (Tests/SMTPProtocolTests/TranscriptRunner.swift); here each
one is played over a real socket, with its `!` setup translated into real configuration and provisioning:

    ! mode submission|inbound          listener: `submissions` (implicit TLS) or `submission` (STARTTLS),
                                       `smtp` (inbound, STARTTLS offered)
    ! tls implicit VERSION             connect with TLS, at most VERSION (python ssl)
    ! starttls VERSION                 TLS after a 220 to STARTTLS is at most VERSION
    ! account A password PW [aliases X,Y]   `govmail account add` (password on stdin), `govmail alias add`
    ! recipient A local                an account A (random password) in a local domain
    ! recipient A unknown              A's domain is local, A is not provisioned
    ! recipient A relay|refused        inbound mode only: a non-local domain is refused either way
    ! limit max-recipients|error-budget|max-message-size|line-length N
                                       limits.max_recipients, smtp.error_budget, limits.max_message_size,
                                       limits.max_line_length (when N is inside the config's range)

Anything else cannot be reproduced deterministically by the real server and makes the transcript SKIPPED
with the reason: `! deliver`, `! sender-check`, `blocked` accounts,
recipients `tempfail|over-quota|too-large`, `relay|refused` in submission mode, `e:` events.

Comparison is exact, line by line, for every `s:` line, with ONE documented placeholder: the queue id in
`250 2.0.0 Ok: queued as ID` matches any non-empty id (the real server makes its own ids). The greeting
and EHLO host name are exact because the server's `hostname` is set to the transcripts' `mx.gov.vn`.
After the last step the runner waits briefly and reports any extra line the server sent, or a close that
the transcript does not announce with `s: [closed]`.
"""
import os
import re
import secrets
import socket
import ssl

from govmail_test import GovMailServer, LineReader, client_tls_context, provision, smtp_listeners

TRANSCRIPT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                               "..", "..", "SMTPProtocolTests", "Transcripts"))
HOSTNAME = "mx.gov.vn"  # what every transcript's greeting and EHLO expect
READ_TIMEOUT = 5
EXTRA_LINE_WAIT = 0.2

# Fast hashing, 6-character passwords (the transcripts use "s3cret"), a tiny AUTH reply delay and a
# throttle that a few deliberate failures across transcripts never trips.
TRANSCRIPT_EXTRA = """passwords:
  scrypt_log_n: 10
  min_length: 6
auth:
  reply_delay: 0.01
  failure_delay_step: 0.01
  max_delay: 0.05
  max_failures: 1000
  window: 60
  block_duration: 60
"""

QUEUED = re.compile(r"^(250 2\.0\.0 Ok: queued as )\S+$")
TLS_VERSIONS = {"TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}
LIMIT_KEYS = {  # transcript name -> (config section, key, allowed range)
    "max-message-size": ("limits", "max_message_size", (1024, 1 << 30)),
    "max-recipients": ("limits", "max_recipients", (1, 10_000)),
    "line-length": ("limits", "max_line_length", (1000, 1 << 20)),
    "error-budget": ("smtp", "error_budget", (1, 1000)),
}


def unescape(text):
    """`c~` escapes: \\r \\n \\t \\\\ (same as Transcript.unescape in the Swift runner)."""
    out, escaped = bytearray(), False
    for b in text.encode():
        if escaped:
            out += {ord("r"): b"\r", ord("n"): b"\n", ord("t"): b"\t"}.get(b, bytes([b]))
            escaped = False
        elif b == ord("\\"):
            escaped = True
        else:
            out.append(b)
    return bytes(out)


class Step:
    def __init__(self, line):
        self.line = line
        self.input = b""
        self.events = []
        self.expected = []


class Transcript:
    """A parsed transcript: directives (lists of words) and steps (client piece -> expected server lines)."""

    def __init__(self, name, text):
        self.name = name
        self.directives = []
        self.steps = []
        current, last_was_server = Step(0), True
        for index, line in enumerate(text.split("\n")):
            if line.startswith("!"):
                self.directives.append(line[1:].split())
            elif line.startswith("s: "):
                current.expected.append(line[3:])
                last_was_server = True
            elif line[:3] in ("c: ", "c~ ", "e: "):
                if last_was_server:
                    self.steps.append(current)
                    current = Step(index + 1)
                last_was_server = False
                body = line[3:]
                if line.startswith("c: "):
                    current.input += body.encode() + b"\r\n"
                elif line.startswith("c~ "):
                    current.input += unescape(body)
                else:
                    current.events.append(body)
        self.steps.append(current)

    def values(self, key):
        return [d[1:] for d in self.directives if d and d[0] == key]

    def value(self, key, default=None):
        v = self.values(key)
        return v[0][0] if v and v[0] else default

    @property
    def mode(self):
        return self.value("mode", "submission")


class Setup:
    """What the real server needs for one transcript, or why it cannot be reproduced."""

    def __init__(self, t):
        self.skip = []
        self.config = {}      # (section, key) -> value
        self.accounts = {}    # address -> password
        self.aliases = {}     # alias -> account
        self.mailboxes = set()  # recipient-only accounts (any password)
        self.unknown = set()  # addresses that must NOT exist
        self.domains = set()  # local domains
        for words in t.directives:
            kind = words[0]
            if kind in ("mode", "tls", "starttls"):
                continue
            if kind == "account":
                address, password = words[1].lower(), words[3]
                self.accounts[address] = password
                self.domains.add(address.split("@")[1])
                if "aliases" in words:
                    for alias in words[words.index("aliases") + 1].split(","):
                        self.aliases[alias.lower()] = address
                        self.domains.add(alias.lower().split("@")[1])
                if "blocked" in words:
                    self.skip.append("a `blocked` account needs real failed logins and a block window")
            elif kind == "recipient":
                address, result = words[1].lower(), words[2]
                if result == "local":
                    self.mailboxes.add(address)
                    self.domains.add(address.split("@")[1])
                elif result == "unknown":
                    self.unknown.add(address)
                    self.domains.add(address.split("@")[1])
                elif result in ("relay", "refused") and t.mode == "inbound":
                    self.unknown.add(address)  # inbound never relays: any non-local domain is refused
                else:
                    self.skip.append(f"recipient {address} {result} is not set up against the real server")
            elif kind == "limit":
                name, n = words[1], int(words[2])
                if name not in LIMIT_KEYS:
                    self.skip.append(f"limit {name} has no config key")
                    continue
                section, key, (low, high) = LIMIT_KEYS[name]
                if not low <= n <= high:
                    self.skip.append(f"limit {name} {n} is outside {section}.{key}'s range {low}...{high}")
                self.config[(section, key)] = n
            elif kind == "postmaster":
                self.config[("smtp", "postmaster")] = words[1]
            else:
                self.skip.append(f"`! {' '.join(words)}` cannot be reproduced by the real server")
        for step in t.steps:
            for e in step.events:
                self.skip.append(f"`e: {e}` is an event of the in-process session, not a wire input")
        for address in self.unknown:
            if address in self.accounts or address in self.mailboxes:
                self.skip.append(f"{address} is both local and unknown")

    def group_key(self):
        """Transcripts with the same configuration share one server."""
        return tuple(sorted(self.config.items()))


def server_for(config):
    """A GovMailServer (context manager) with this configuration and all three SMTP listeners."""
    limits = {key: v for (section, key), v in config.items() if section == "limits"}
    smtp = {key: v for (section, key), v in config.items() if section == "smtp"}
    extra = TRANSCRIPT_EXTRA
    if smtp:
        extra += "smtp:\n" + "".join(f"  {k}: {v}\n" for k, v in sorted(smtp.items()))
    return GovMailServer(listeners=smtp_listeners(submission=True, implicit=True, inbound=True),
                         limits=limits or None, extra=extra, host=HOSTNAME)


def provision_all(srv, accounts, aliases, domains):
    for domain in sorted(domains):
        by_domain = {a: p for a, p in accounts.items() if a.endswith("@" + domain)}
        provision(srv, domain, by_domain,
                  aliases={al: acc for al, acc in aliases.items() if al.endswith("@" + domain)})


def matches(expected, got):
    if expected == got:
        return True
    m = QUEUED.match(expected)
    return bool(m) and got is not None and QUEUED.match(got) is not None


def _tls(sock, version):
    v = TLS_VERSIONS.get(version or "TLSv1.3", ssl.TLSVersion.TLSv1_3)
    ctx = client_tls_context(minimum=v, maximum=v)
    return ctx.wrap_socket(sock, server_hostname=HOSTNAME)


def _read(reader):
    """One line, "[closed]" at EOF, "[timeout]" when nothing came."""
    try:
        line = reader.line()
    except (socket.timeout, TimeoutError):
        return "[timeout]"
    except OSError:
        return "[closed]"
    return "[closed]" if line is None else line


def run(srv, t):
    """Replays `t` against `srv`; returns a list of mismatch descriptions (empty when it matched)."""
    tls = t.values("tls")
    implicit = bool(tls) and tls[0][:1] == ["implicit"]
    if t.mode == "inbound":
        listener = "smtp"
    else:
        listener = "submissions" if implicit else "submission"
    sock = srv.connect(listener, timeout=READ_TIMEOUT)
    if implicit:
        sock = _tls(sock, tls[0][1] if len(tls[0]) > 1 else None)
    reader = LineReader(sock, timeout=READ_TIMEOUT)
    mismatches = []
    closed = False
    try:
        for step in t.steps:
            if step.input and not closed:
                try:
                    reader.sock.sendall(step.input)
                except OSError:
                    pass  # the server closed; the expected lines say whether that was right
            got = []
            for _ in step.expected:
                line = _read(reader) if not closed else "[closed]"
                got.append(line)
                if line in ("[closed]", "[timeout]"):
                    closed = True
            if len(got) != len(step.expected) or not all(matches(e, g) for e, g in zip(step.expected, got)):
                mismatches.append(f"{t.name}:{step.line}: expected\n    " + "\n    ".join(step.expected)
                                  + "\n  got\n    " + "\n    ".join(got))
                if "[timeout]" in got:
                    return mismatches  # out of step with the server: the rest would only add noise
            commands = [c.strip().upper() for c in step.input.split(b"\r\n")]
            if b"STARTTLS" in commands and any(g.startswith("220 ") for g in got) and not closed:
                if reader.buffer:
                    mismatches.append(f"{t.name}:{step.line}: plaintext after the STARTTLS reply: {reader.buffer!r}")
                starttls = t.values("starttls")
                reader = LineReader(_tls(reader.sock, starttls[0][0] if starttls and starttls[0] else None),
                                    timeout=READ_TIMEOUT)
        if not closed:
            reader.sock.settimeout(EXTRA_LINE_WAIT)
            extra = _read(reader)
            if extra == "[closed]":
                mismatches.append(f"{t.name}: the server closed the connection but the transcript has no `s: [closed]`")
            elif extra != "[timeout]":
                mismatches.append(f"{t.name}: after the last step the server sent an extra line: {extra!r}")
    finally:
        try:
            reader.sock.close()
        except OSError:
            pass
    return mismatches


def load_all():
    names = sorted(n for n in os.listdir(TRANSCRIPT_DIR) if n.endswith(".txt"))
    out = []
    for n in names:
        with open(os.path.join(TRANSCRIPT_DIR, n), encoding="utf-8") as f:
            out.append(Transcript(n, f.read()))
    return out


def run_all(out=print):
    """Runs every transcript (grouped by configuration, one server per group); returns (passed, failed, skipped)."""
    passed, failed, skipped = [], [], []
    groups = {}
    for t in load_all():
        setup = Setup(t)
        if setup.skip:
            skipped.append((t.name, "; ".join(dict.fromkeys(setup.skip))))
            continue
        groups.setdefault(setup.group_key(), []).append((t, setup))
    for key, members in groups.items():
        accounts, aliases, domains, unknown, mailboxes = {}, {}, set(), set(), set()
        for t, s in members:
            for a, p in s.accounts.items():
                if accounts.get(a, p) != p:
                    raise SystemExit(f"FAIL {t.name}: {a} has another password in another transcript of its group")
                accounts[a] = p
            aliases.update(s.aliases)
            mailboxes |= s.mailboxes
            domains |= s.domains
            unknown |= s.unknown
        for a in mailboxes - set(accounts):
            accounts[a] = "pw-" + secrets.token_hex(8)
        clash = unknown & (set(accounts) | set(aliases))
        if clash:
            raise SystemExit(f"FAIL transcripts of one group need {sorted(clash)} both present and absent")
        out(f"-- server with {dict((k, v) for (_, k), v in key) or 'default limits'}: "
            f"{', '.join(t.name for t, _ in members)}")
        with server_for(dict(key)) as srv:
            provision_all(srv, accounts, aliases, domains)
            for t, _ in members:
                mismatches = run(srv, t)
                if mismatches:
                    failed.append(t.name)
                    out(f"FAIL {t.name}")
                    for m in mismatches:
                        out("  " + m)
                else:
                    passed.append(t.name)
                    out(f"PASS {t.name}")
    for name, reason in skipped:
        out(f"SKIP {name}: {reason}")
    return passed, failed, skipped
