"""HTTP helpers for the http listener scenarios (90-99): listeners, requests, raw exchanges."""
import http.client
import socket
import ssl
import subprocess

from govmail_test import check, client_tls_context, fail

__all__ = ["http_listener", "mail_listeners", "http_request", "raw_exchange", "read_http_response", "fresh_socket", "curl"]


def http_listener(name="web", tls="none"):
    return {"name": name, "protocol": "http", "address": "127.0.0.1", "port": 0, "tls": tls}


def mail_listeners():
    """IMAP (993-style and 143-style) and submission (465-style and 587-style) listeners."""
    return [
        {"name": "imaps", "protocol": "imap", "address": "127.0.0.1", "port": 0, "tls": "implicit"},
        {"name": "imap", "protocol": "imap", "address": "127.0.0.1", "port": 0, "tls": "starttls"},
        {"name": "submissions", "protocol": "submission", "address": "127.0.0.1", "port": 0, "tls": "implicit"},
        {"name": "submission", "protocol": "submission", "address": "127.0.0.1", "port": 0, "tls": "starttls"},
    ]


def http_request(srv, method, path, listener="web", headers=None, body=None, source=None, tls=False, timeout=10):
    """One request on a new connection with http.client; returns (status, headers dict lowercased, body bytes)."""
    port = srv.port(listener)
    if tls:
        c = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=client_tls_context(),
                                        source_address=(source, 0) if source else None)
    else:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                       source_address=(source, 0) if source else None)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        c.close()


_leftover = {}


def fresh_socket(sock):
    """Forgets buffered bytes of an earlier socket with the same descriptor number."""
    _leftover.pop(sock.fileno(), None)


def read_http_response(sock, timeout=10):
    """Reads one response (status line, headers, Content-Length body) from a raw socket; bytes of a
    following pipelined response are kept for the next call. Returns (status, headers, body), or
    None at EOF before any byte."""
    sock.settimeout(timeout)
    buf = _leftover.pop(sock.fileno(), b"")
    while b"\r\n\r\n" not in buf:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            # A server that closes with client bytes still unread sends RST instead of FIN.
            chunk = b""
        if not chunk:
            if not buf:
                return None
            fail(f"connection closed inside a response head: {buf[:200]!r}")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    if len(rest) > length:
        _leftover[sock.fileno()] = rest[length:]
    return status, headers, rest[:length]


def raw_exchange(srv, data, listener="web", source=None, timeout=10):
    """Sends raw bytes, then reads every response until the server closes (or `timeout`).
    Returns (list of (status, headers, body), closed_by_server)."""
    s = srv.connect(listener, timeout=timeout, source=source)
    _leftover.pop(s.fileno(), None)
    try:
        s.sendall(data)
        out = []
        while True:
            try:
                r = read_http_response(s, timeout)
            except (socket.timeout, TimeoutError):
                return out, False
            except ConnectionResetError:
                return out, True
            if r is None:
                return out, True
            out.append(r)
    finally:
        s.close()


def curl(*args):
    """Runs curl and returns (http status, body bytes)."""
    p = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *args], capture_output=True, timeout=30)
    if p.returncode != 0:
        fail(f"curl {' '.join(args)} failed: {p.stderr.decode(errors='replace')}")
    body, _, code = p.stdout.rpartition(b"\n")
    return int(code), body
