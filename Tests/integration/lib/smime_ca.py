"""A throwaway S/MIME test CA made with the `openssl` command line (issue 17 scenarios).

Keys are generated when the scenario runs and live in a temporary folder; nothing is committed.
Messages are signed with `openssl cms` / `openssl smime`, as a mail client would.
"""
import atexit
import os
import re
import shutil
import subprocess
import tempfile

from govmail_test import fail

__all__ = ["TestCA"]

_CA_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smime-test-ca.cnf")


def openssl(*args, input=None):
    p = subprocess.run(["openssl", *args], input=input, capture_output=True, timeout=60)
    if p.returncode != 0:
        fail(f"openssl {' '.join(args[:2])} failed: {p.stderr.decode(errors='replace').strip()}")
    return p.stdout


class TestCA:
    """A CA: `cert` is its PEM path; `issue()` makes leaf certificates, `sign()` signed messages."""

    def __init__(self, name="GovMail Test CA"):
        self.dir = tempfile.mkdtemp(prefix="govmail-smime-ca-")
        atexit.register(shutil.rmtree, self.dir, True)
        os.makedirs(os.path.join(self.dir, "newcerts"))
        for f, text in (("index.txt", ""), ("serial", "1000\n"), ("crlnumber", "1000\n"),
                        ("ca.cnf", open(_CA_CONFIG).read().replace("{dir}", self.dir))):
            with open(os.path.join(self.dir, f), "w") as fh:
                fh.write(text)
        self.cert = os.path.join(self.dir, "ca.pem")
        openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", os.path.join(self.dir, "ca.key"), "-out", self.cert, "-subj", f"/O=GovMail tests/CN={name}",
                "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self.count = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def issue(self, email, eku="emailProtection", not_before=None, not_after=None):
        """A leaf certificate for `email` (subjectAltName); returns (cert path, key path)."""
        self.count += 1
        leaf = f"leaf{self.count}"
        ext = "[ext]\nbasicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature, nonRepudiation\n"
        ext += f"extendedKeyUsage = {eku}\nsubjectAltName = email:{email}\n"
        with open(self.path(leaf + ".ext"), "w") as fh:
            fh.write(ext)
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", self.path(leaf + ".key"), "-out", self.path(leaf + ".csr"),
                "-subj", f"/O=GovMail tests/CN={email.split('@')[0]}")
        args = ["ca", "-batch", "-config", self.path("ca.cnf"), "-in", self.path(leaf + ".csr"),
                "-out", self.path(leaf + ".pem"), "-extfile", self.path(leaf + ".ext"), "-extensions", "ext", "-notext"]
        if not_before:
            args += ["-startdate", not_before]
        args += ["-enddate", not_after] if not_after else ["-days", "30"]
        openssl(*args)
        return self.path(leaf + ".pem"), self.path(leaf + ".key")

    def revoke(self, signer):
        """Marks a certificate revoked in the CA database (it appears in the next `crl()`)."""
        openssl("ca", "-config", self.path("ca.cnf"), "-revoke", signer[0])

    def crl(self, path):
        """Writes a PEM CRL of everything revoked so far to `path`."""
        openssl("ca", "-config", self.path("ca.cnf"), "-gencrl", "-out", path)
        return path

    def sign(self, signer, headers, content, opaque=False, legacy=False):
        """A whole message: `headers` (list of 'Name: value') then the signed MIME entity `content`."""
        self.count += 1
        src, out = self.path(f"m{self.count}.txt"), self.path(f"m{self.count}.eml")
        with open(src, "wb") as fh:
            fh.write(content.encode())
        args = ["smime" if legacy else "cms", "-sign", "-in", src, "-out", out, "-signer", signer[0],
                "-inkey", signer[1], "-crlfeol"]
        if opaque:
            args.append("-nodetach")
        openssl(*args)
        with open(out, "rb") as fh:
            signed = fh.read()
        # openssl writes the base64 signature with bare LF even with -crlfeol; SMTP needs CRLF.
        signed = re.sub(rb"\r?\n", b"\r\n", signed)
        return "".join(h + "\r\n" for h in headers).encode() + signed
