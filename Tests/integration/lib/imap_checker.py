"""A concurrency checker for GovMail's IMAP (issue 11): several real IMAP connections and SMTP
deliveries work on shared folders at random, and a model checks every response each client gets.

    from imap_checker import run_checker
    report = run_checker(srv, USER, clients=4, seconds=20, seed=1)

What the model checks, per client (RFC 3501 unless noted):
- sequence numbers: `* n EXISTS` never shrinks the folder, `* n EXPUNGE` names an existing number,
  every FETCH names an existing number, and the UID of a number never changes (§2.3.1.2, §7.4.1);
- no EXPUNGE while a FETCH, STORE or SEARCH by sequence number runs (§7.4.1);
- UIDs ascend with sequence numbers, and at the end the client's whole map equals `FETCH 1:* UID`;
- a keyword appears in a FETCH only after `* FLAGS` named it (§7.2.6);
- FETCH (and every other command the checker sends, all legal) never gets NO or BAD — in
  particular not for a message another client expunged meanwhile (RFC 2180 §4.1);
- UIDs are stable: a (folder, UID) always shows the same Message-ID, and APPENDUID/COPYUID never
  hand out a UID twice (RFC 4315);
- \\Recent: no message is \\Recent for two read-write selections, and at the end every message
  still there was \\Recent for exactly one (§2.3.2).
"""
import os
import random
import re
import socket
import ssl
import threading
import time

from govmail_test import check, client_tls_context, fail, smtp_submit, step
from imap_helpers import PASSWORD

FOLDERS = ["INBOX", "Shared1", "Shared2", "Shared3"]
KEYWORDS = [f"$Kw{i}" for i in range(8)]  # a Maildir folder holds at most 26 keywords
SYSTEM = ["\\Seen", "\\Flagged", "\\Answered", "\\Draft", "\\Deleted"]


class Violation(Exception):
    pass


class Registry:
    """What all clients saw, shared under a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recent = {}  # (folder, validity, uid) -> set of holders (client, selection number)
        self.message_ids = {}  # (folder, validity, uid) -> Message-ID
        self.issued = set()  # (folder, validity, uid) given by APPENDUID / COPYUID
        self.counts = {}
        self.violations = []

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n

    def violation(self, who, text):
        with self.lock:
            self.violations.append(f"{who}: {text}")
        raise Violation(text)

    def saw_recent(self, who, key, holder):
        with self.lock:
            holders = self.recent.setdefault(key, set())
            holders.add(holder)
            bad = len(holders) > 1
        if bad:
            self.violation(who, f"message {key} is \\Recent for more than one selection: {sorted(holders)}")

    def saw_message_id(self, who, key, mid):
        with self.lock:
            old = self.message_ids.setdefault(key, mid)
        if old != mid:
            self.violation(who, f"UID {key} changed message: {old!r} then {mid!r}")

    def issue(self, who, key):
        with self.lock:
            dup = key in self.issued
            self.issued.add(key)
        if dup:
            self.violation(who, f"UID {key} handed out twice (APPENDUID/COPYUID)")


class Client:
    """One IMAP connection with a model of what the server has told it."""

    def __init__(self, name, srv, user, registry, rng, idle_seconds=0.3):
        self.name, self.srv, self.user, self.reg, self.rng = name, srv, user, registry, rng
        self.idle_seconds = idle_seconds
        raw = srv.connect("imaps", timeout=30)
        self.sock = client_tls_context().wrap_socket(raw, server_hostname=srv.host)
        self.buf = b""
        self.tag = 0
        self.folder = None
        self.validity = None
        self.slots = []  # index = seq - 1 -> UID or None while unknown
        self.announced = set()
        self.selection = 0
        self.running = None  # verb of the command in progress
        greeting = self.read_response()
        if not greeting.startswith(b"* OK"):
            fail(f"{name}: greeting {greeting!r}")
        self.command(f'LOGIN "{user}" "{PASSWORD}"')

    # -- wire ---------------------------------------------------------------------------------

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            self.reg.violation(self.name, "server closed the connection")
        self.buf += data

    def read_response(self):
        """One response with its literals spliced in (as bytes)."""
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                self._fill()
            line, self.buf = self.buf.split(b"\r\n", 1)
            out += line
            m = re.search(rb"\{(\d+)\}$", line)
            if not m:
                return out
            n = int(m.group(1))
            while len(self.buf) < n:
                self._fill()
            out += b"\r\n" + self.buf[:n]
            self.buf = self.buf[n:]

    def command(self, text, literal=None, allow_no=False):
        """Sends a command (LITERAL+ for `literal`), feeds every untagged response to the model;
        returns (untagged responses, tagged response)."""
        self.tag += 1
        tag = f"{self.name}.{self.tag}"
        words = text.split()
        self.running = words[0].upper() + (" " + words[1].upper() if words[0].upper() == "UID" else "")
        data = f"{tag} {text}".encode()
        if literal is not None:
            data += b" {%d+}\r\n" % len(literal) + literal
        self.sock.sendall(data + b"\r\n")
        untagged = []
        while True:
            r = self.read_response()
            if r.startswith(tag.encode() + b" "):
                self.running = None
                status = r.split(b" ", 2)[1]
                if status != b"OK" and not (allow_no and status == b"NO"):
                    self.reg.violation(self.name, f"{text[:60]!r} answered {r[:200]!r}")
                return untagged, r
            self.untagged(r)
            untagged.append(r)

    def idle(self):
        self.tag += 1
        tag = f"{self.name}.{self.tag}"
        self.running = "IDLE"
        self.sock.sendall(f"{tag} IDLE\r\n".encode())
        r = self.read_response()
        while not r.startswith(b"+"):
            self.untagged(r)
            r = self.read_response()
        deadline = time.time() + self.idle_seconds
        self.sock.settimeout(0.05)
        try:
            while time.time() < deadline:
                try:
                    self.untagged(self.read_response())
                except (socket.timeout, TimeoutError, ssl.SSLWantReadError):
                    continue
        finally:
            self.sock.settimeout(30)
        self.sock.sendall(b"DONE\r\n")
        while True:
            r = self.read_response()
            if r.startswith(tag.encode() + b" "):
                self.running = None
                if b" OK" not in r:
                    self.reg.violation(self.name, f"IDLE ended with {r!r}")
                return
            self.untagged(r)

    # -- the model ----------------------------------------------------------------------------

    def key(self, uid):
        return (self.folder, self.validity, uid)

    def untagged(self, r):
        text = r.decode("utf-8", "replace")
        m = re.match(r"\* (\d+) (EXISTS|EXPUNGE|RECENT|FETCH)\b", text)
        if m:
            n, what = int(m.group(1)), m.group(2)
            if what == "EXISTS":
                if n < len(self.slots):
                    self.reg.violation(self.name, f"EXISTS {n} below the {len(self.slots)} messages it was told")
                self.slots += [None] * (n - len(self.slots))
                self.reg.count("EXISTS checked")
            elif what == "EXPUNGE":
                if self.running in ("FETCH", "STORE", "SEARCH"):
                    self.reg.violation(self.name, f"EXPUNGE during {self.running} by sequence number")
                if not 1 <= n <= len(self.slots):
                    self.reg.violation(self.name, f"EXPUNGE {n} of {len(self.slots)} messages")
                del self.slots[n - 1]
                self.reg.count("EXPUNGE checked")
            elif what == "RECENT":
                if n > len(self.slots):
                    self.reg.violation(self.name, f"RECENT {n} above EXISTS {len(self.slots)}")
            else:
                self.fetch(n, text, r)
            return
        m = re.match(r"\* FLAGS \(([^)]*)\)", text)
        if m:
            self.announced = {f for f in m.group(1).split() if not f.startswith("\\")}
            return
        m = re.match(r"\* OK \[UIDVALIDITY (\d+)\]", text)
        if m:
            self.validity = int(m.group(1))

    def fetch(self, n, text, raw):
        if not 1 <= n <= len(self.slots):
            self.reg.violation(self.name, f"FETCH for message {n} of {len(self.slots)}")
        um = re.search(r"\bUID (\d+)", text)
        uid = self.slots[n - 1]
        if um:
            got = int(um.group(1))
            if uid is not None and uid != got:
                self.reg.violation(self.name, f"message {n} was UID {uid}, now UID {got}")
            lower = next((u for u in reversed(self.slots[: n - 1]) if u is not None), 0)
            upper = next((u for u in self.slots[n:] if u is not None), None)
            if got <= lower or (upper is not None and got >= upper):
                self.reg.violation(self.name, f"UID {got} at message {n} is out of order ({lower}..{upper})")
            self.slots[n - 1] = uid = got
        fm = re.search(r"FLAGS \(([^)]*)\)", text)
        if fm:
            flags = fm.group(1).split()
            unknown = [f for f in flags if not f.startswith("\\") and f not in self.announced]
            if unknown:
                self.reg.violation(self.name, f"FETCH shows {unknown} before any * FLAGS named them")
            self.reg.count("FETCH FLAGS checked")
            if "\\Recent" in flags and uid is not None:
                self.reg.saw_recent(self.name, self.key(uid), (self.name, self.selection))
        mm = re.search(rb"Message-ID: (<[^>\r\n]*>)", raw, re.I)
        if mm and uid is not None:
            self.reg.saw_message_id(self.name, self.key(uid), mm.group(1).decode())
            self.reg.count("Message-ID checked")

    def copied(self, target, untagged, tagged):
        """COPYUID (tagged for COPY, untagged before the EXPUNGEs for MOVE, RFC 6851) gives new UIDs."""
        for r in untagged + [tagged]:
            m = re.search(rb"\[COPYUID (\d+) ([\d:,]+) ([\d:,]+)\]", r)
            if m:
                for uid in expand(m.group(3).decode()):
                    self.reg.issue(self.name, (target, int(m.group(1)), uid))

    # -- actions ------------------------------------------------------------------------------

    def select(self, folder):
        if self.folder is not None:
            self.record_recent()
        self.folder, self.validity, self.slots, self.selection = folder, None, [], self.selection + 1
        self.command(f"SELECT {folder}")
        self.command("UID FETCH 1:* (UID FLAGS)")
        self.reg.count("SELECT")

    def record_recent(self):
        """Before leaving a folder: which of its messages are \\Recent for this selection."""
        untagged, _ = self.command("UID SEARCH RECENT")
        for r in untagged:
            if r.startswith(b"* SEARCH"):
                for uid in r.split()[2:]:
                    self.reg.saw_recent(self.name, self.key(int(uid)), (self.name, self.selection))

    def some_seq(self):
        return self.rng.randint(1, len(self.slots)) if self.slots else None

    def step(self, counter):
        rng = self.rng
        op = rng.choices(
            ["append", "store", "copy", "move", "expunge", "fetch", "search", "idle", "noop", "select"],
            [14, 18, 8, 6, 5, 20, 8, 6, 6, 4])[0]
        self.reg.count(op)
        seq = self.some_seq()
        if op == "append":
            target = rng.choice(FOLDERS)
            flags = rng.sample(SYSTEM[:3] + KEYWORDS, rng.randint(0, 2))
            mid = f"<{self.name}.{counter}.{time.time_ns()}@checker>"
            body = (f"From: checker@tinh.gov.vn\r\nTo: an@tinh.gov.vn\r\nSubject: {self.name} {counter}\r\n"
                    f"Message-ID: {mid}\r\n\r\nbody {counter}\r\n").encode()
            _, tagged = self.command(f"APPEND {target} ({' '.join(flags)})", literal=body)
            m = re.search(rb"\[APPENDUID (\d+) (\d+)\]", tagged)
            if not m:
                self.reg.violation(self.name, f"APPEND without APPENDUID: {tagged!r}")
            self.reg.issue(self.name, (target, int(m.group(1)), int(m.group(2))))
            self.reg.saw_message_id(self.name, (target, int(m.group(1)), int(m.group(2))), mid)
        elif op == "store" and seq:
            flag = rng.choice(KEYWORDS + SYSTEM[:4])
            last = min(len(self.slots), seq + rng.randint(0, 3))
            sign = rng.choice("+-")
            self.command(f"STORE {seq}:{last} {sign}FLAGS ({flag})")
        elif op == "copy" and seq:
            target = rng.choice(FOLDERS)
            self.copied(target, *self.command(f"COPY {seq} {target}"))
        elif op == "move" and seq:
            target = rng.choice([f for f in FOLDERS if f != self.folder])
            self.copied(target, *self.command(f"MOVE {seq} {target}"))
        elif op == "expunge" and seq:
            self.command(f"STORE {seq} +FLAGS.SILENT (\\Deleted)")
            self.command("EXPUNGE")
        elif op == "fetch" and seq:
            last = min(len(self.slots), seq + rng.randint(0, 5))
            items = rng.choice([
                "(UID FLAGS)", "(FLAGS RFC822.SIZE ENVELOPE)",
                "(UID FLAGS BODY.PEEK[HEADER.FIELDS (Message-ID)])", "(UID BODY.PEEK[TEXT] BODYSTRUCTURE)",
                "(FLAGS BODY[HEADER.FIELDS (Message-ID Subject)])"])
            self.command(f"FETCH {seq}:{last} {items}")
        elif op == "search":
            key = rng.choice(["UNSEEN", "RECENT", "NEW", "OLD", "KEYWORD $Kw1", "FROM checker", "OR SEEN FLAGGED",
                              "NOT DELETED"])
            self.command(f"{rng.choice(['', 'UID '])}SEARCH {key}")
        elif op == "idle":
            self.idle()
        elif op == "select":
            self.select(rng.choice(FOLDERS))
        else:
            self.command("NOOP")

    def finish(self):
        """Everything pending arrives with NOOP; then the model must equal the server's map."""
        self.command("NOOP")
        self.record_recent()
        untagged, _ = self.command("FETCH 1:* (UID)")
        server = {}
        for r in untagged:
            m = re.match(rb"\* (\d+) FETCH \(UID (\d+)\)", r)
            if m:
                server[int(m.group(1))] = int(m.group(2))
        # `1:*` was resolved when the FETCH began: messages announced during it are not in it.
        if len(server) > len(self.slots) or sorted(server) != list(range(1, len(server) + 1)) or any(
                u is not None and server[i + 1] != u for i, u in enumerate(self.slots[:len(server)])):
            self.reg.violation(self.name, f"model {self.slots[:20]}… differs from the server's {list(server.items())[:20]}…")
        self.reg.count("final maps compared")
        self.command("LOGOUT")


def expand(text):
    out = []
    for part in text.split(","):
        a, _, b = part.partition(":")
        lo, hi = int(a), int(b or a)
        out += range(min(lo, hi), max(lo, hi) + 1)
    return out


def run_checker(srv, user, clients=4, seconds=20, seed=None, deliveries=True, say=print, registry=None, prefix=""):
    """Runs `clients` random clients (and an SMTP deliverer) for `seconds`; checks everything;
    returns the registry (counts, violations). Successive runs on the same server share one
    `registry` and use distinct `prefix`es, so what earlier runs saw is still checked."""
    seed = seed if seed is not None else random.randrange(1 << 30)
    say(f"-- checker seed {seed}: {clients} IMAP clients{' + SMTP deliveries' if deliveries else ''} "
        f"on {len(FOLDERS)} shared folders for {seconds} s")
    reg = registry or Registry()
    setup = Client(f"{prefix}setup", srv, user, reg, random.Random(seed))
    for f in FOLDERS[1:]:
        setup.command(f"CREATE {f}", allow_no=True)
    setup.command("LOGOUT")
    stop = time.time() + seconds
    errors = []

    def worker(i):
        rng = random.Random(seed * 1000 + i)
        c = None
        try:
            c = Client(f"{prefix}c{i}", srv, user, reg, rng)
            c.select(rng.choice(FOLDERS))
            n = 0
            while time.time() < stop:
                n += 1
                c.step(n)
            c.finish()
        except Violation:
            pass
        except Exception as e:  # a crash of the checker itself is a failure too
            errors.append(f"{prefix}c{i}: {type(e).__name__}: {e}")

    def deliverer():
        n = 0
        while time.time() < stop:
            n += 1
            mid = f"<smtp.{n}.{time.time_ns()}@checker>"
            msg = (f"From: {user}\r\nTo: {user}\r\nSubject: smtp {n}\r\nMessage-ID: {mid}\r\n\r\nsmtp body\r\n").encode()
            try:
                smtp_submit(srv, user, PASSWORD, [user], msg)
                reg.count("SMTP deliveries")
            except Exception as e:
                errors.append(f"smtp: {type(e).__name__}: {e}")
                return
            time.sleep(0.1)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    if deliveries:
        threads.append(threading.Thread(target=deliverer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    with reg.lock:
        reg.violations += errors

    # Every message still there was \Recent for exactly one selection (a last session claims the rest).
    sweep = Client(f"{prefix}sweep", srv, user, reg, random.Random(seed))
    for folder in FOLDERS:
        sweep.select(folder)
        sweep.record_recent()
        untagged, _ = sweep.command("UID SEARCH ALL")
        uids = [int(x) for r in untagged if r.startswith(b"* SEARCH") for x in r.split()[2:]]
        for uid in uids:
            holders = reg.recent.get((folder, sweep.validity, uid), set())
            if len(holders) != 1:
                reg.violations.append(f"sweep: {folder} UID {uid} was \\Recent for {len(holders)} selections")
        reg.count("messages whose \\Recent holder was counted", len(uids))
    sweep.command("LOGOUT")
    for what in sorted(reg.counts):
        say(f"   {reg.counts[what]:7d}  {what}")
    return reg
