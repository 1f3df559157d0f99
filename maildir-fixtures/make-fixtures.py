#!/usr/bin/env python3
"""Writes the GovMail Maildir fixtures (run from this folder; output is committed).

Every message here was written for GovMail's tests; names, addresses and signatures are made up.
S= in each file name is the exact byte size of the file, as GovMail and Dovecot expect.
"""
import base64, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))

def crlf(text):
    return text.replace("\n", "\r\n").encode("utf-8")

def put(folder, sub, basename, data, flags=None, mtime=None):
    os.makedirs(os.path.join(folder, sub), exist_ok=True)
    name = f"{basename},S={len(data)}" + (f":2,{flags}" if flags is not None else "")
    path = os.path.join(folder, sub, name)
    with open(path, "wb") as f:
        f.write(data)
    if mtime:
        os.utime(path, (mtime, mtime))
    return name

def maildir(path, subfolder=False):
    for s in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, s), exist_ok=True)
        keep = os.path.join(path, s, ".gitkeep")
        open(keep, "w").close()
    if subfolder:
        open(os.path.join(path, "maildirfolder"), "w").close()

ENCODED_SUBJECT = "=?UTF-8?B?" + base64.b64encode("Công văn số 123/UBND-VP về việc họp giao ban".encode()).decode() + "?="
ENCODED_NAME = "=?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_An?="

MESSAGES = {}

MESSAGES["encoded-words"] = crlf(f"""Return-Path: <an.nguyen@sotttt.example.gov.vn>
From: {ENCODED_NAME} <an.nguyen@sotttt.example.gov.vn>
To: =?UTF-8?B?{base64.b64encode('Trần Thị Bình'.encode()).decode()}?= <binh.tran@ubnd.example.gov.vn>
Subject: {ENCODED_SUBJECT}
Date: Mon, 02 Nov 2026 08:15:00 +0700
Message-ID: <encoded-words.1@sotttt.example.gov.vn>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

K=C3=ADnh g=E1=BB=ADi ch=E1=BB=8B B=C3=ACnh,

Cu=E1=BB=99c h=E1=BB=8Dp giao ban s=E1=BA=BD di=E1=BB=85n ra l=C3=BAc 8 gi=
=E1=BB=9D th=E1=BB=A9 Hai.
""")

MESSAGES["raw-utf8"] = crlf("""From: Lê Minh Châu <chau.le@ubnd.example.gov.vn>
To: Phạm Đức Dũng <dung.pham@ubnd.example.gov.vn>
Subject: Báo cáo tình hình thực hiện nhiệm vụ tháng 10
Date: Tue, 03 Nov 2026 14:30:00 +0700
Message-ID: <raw-utf8.1@ubnd.example.gov.vn>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Kính gửi anh Dũng,

Em gửi báo cáo tình hình thực hiện nhiệm vụ tháng 10. Đề nghị anh xem xét.

Trân trọng,
Châu
""")

MESSAGES["alternative"] = crlf("""From: Văn phòng UBND <vanphong@ubnd.example.gov.vn>
To: All Staff <toanthe@ubnd.example.gov.vn>
Subject: =?UTF-8?Q?Th=C3=B4ng_b=C3=A1o_ngh=E1=BB=89_l=E1=BB=85?=
Date: Wed, 04 Nov 2026 09:00:00 +0700
Message-ID: <alternative.1@ubnd.example.gov.vn>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-boundary-42"

This is a multi-part message in MIME format.

--alt-boundary-42
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Thông báo: cơ quan nghỉ lễ từ ngày 1/1 đến hết ngày 2/1.

--alt-boundary-42
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: 8bit

<html><body><p><b>Thông báo:</b> cơ quan nghỉ lễ từ ngày 1/1 đến hết ngày 2/1.</p></body></html>

--alt-boundary-42--
""")

PDF = base64.encodebytes(b"%PDF-1.4\n% GovMail fixture, not a real document\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").decode().replace("\n", "\n")
MESSAGES["attachment"] = crlf(f"""From: =?UTF-8?Q?Ph=C3=B2ng_T=E1=BB=95_ch=E1=BB=A9c?= <tochuc@ubnd.example.gov.vn>
To: binh.tran@ubnd.example.gov.vn
Subject: =?UTF-8?B?{base64.b64encode('Quyết định bổ nhiệm (bản scan)'.encode()).decode()}?=
Date: Thu, 05 Nov 2026 10:45:00 +0700
Message-ID: <attachment.1@ubnd.example.gov.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-7"

--mixed-7
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Gửi chị bản scan quyết định.

--mixed-7
Content-Type: application/pdf; name="=?UTF-8?Q?Quy=E1=BA=BFt_=C4=91=E1=BB=8Bnh.pdf?="
Content-Disposition: attachment;
 filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf
Content-Transfer-Encoding: base64

{PDF}
--mixed-7--
""")

SIG = base64.encodebytes(bytes(range(256)) * 2).decode()
MESSAGES["smime-signed"] = crlf(f"""From: =?UTF-8?Q?Gi=C3=A1m_=C4=91=E1=BB=91c_S=E1=BB=9F?= <giamdoc@sotttt.example.gov.vn>
To: vanphong@ubnd.example.gov.vn
Subject: =?UTF-8?Q?V=C4=83n_b=E1=BA=A3n_c=C3=B3_ch=E1=BB=AF_k=C3=BD_s=E1=BB=91?=
Date: Fri, 06 Nov 2026 16:20:00 +0700
Message-ID: <smime-signed.1@sotttt.example.gov.vn>
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;
 boundary="signed-boundary-9"

This is an S/MIME signed message (the signature bytes are fake).

--signed-boundary-9
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

V=C4=83n b=E1=BA=A3n n=C3=A0y =C4=91=C3=A3 =C4=91=C6=B0=E1=BB=A3c k=C3=BD s=
=E1=BB=91.

--signed-boundary-9
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="smime.p7s"

{SIG}
--signed-boundary-9--
""")

# Bare LF line ends, as some tools write Maildir files (Dovecot itself stores LF).
MESSAGES["bare-lf"] = """From: Hoàng Văn Em <em.hoang@xa.example.gov.vn>
To: chau.le@ubnd.example.gov.vn
Subject: Dong bo du lieu (dong ket thuc LF)
Date: Sat, 07 Nov 2026 07:00:00 +0700
Message-ID: <bare-lf.1@xa.example.gov.vn>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Dòng một.
Dòng hai.
""".encode("utf-8")

MESSAGES["no-final-newline"] = crlf("""From: kythuat@ubnd.example.gov.vn
To: binh.tran@ubnd.example.gov.vn
Subject: No final newline
Date: Sun, 08 Nov 2026 11:11:00 +0700
Message-ID: <no-final-newline.1@ubnd.example.gov.vn>

The last line of this body has no line end.""")

LONG_REFS = " ".join(f"<thread-{i:04d}.reply@ubnd.example.gov.vn>" for i in range(60))
MESSAGES["long-header"] = crlf(f"""From: vanphong@ubnd.example.gov.vn
To: binh.tran@ubnd.example.gov.vn
Subject: A header line far longer than 998 octets
Date: Mon, 09 Nov 2026 13:00:00 +0700
Message-ID: <long-header.1@ubnd.example.gov.vn>
References: {LONG_REFS}

The References header above is one unfolded line of {len(LONG_REFS) + 12} octets.
""")

def main():
    for d in ("inbox", "account", "uidlist-kept"):
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)

    # inbox/: one Maildir holding one message of each kind, some in new/, some in cur/ with flags.
    inbox = os.path.join(HERE, "inbox")
    maildir(inbox)
    t = 1793600000
    order = ["encoded-words", "raw-utf8", "alternative", "attachment", "smime-signed", "bare-lf",
             "no-final-newline", "long-header"]
    flags = {"raw-utf8": "S", "alternative": "RS", "attachment": "FS", "smime-signed": ""}
    for i, key in enumerate(order):
        base = f"{t + i * 60}.M{100 + i}P4242Q{i + 1}.fixture-{key}"
        if key in flags:
            put(inbox, "cur", base, MESSAGES[key], flags[key], mtime=t + i * 60)
        else:
            put(inbox, "new", base, MESSAGES[key], mtime=t + i * 60)

    # account/: a Maildir++ account with special folders and Vietnamese folder names (modified UTF-7).
    account = os.path.join(HERE, "account")
    maildir(account)
    put(account, "cur", f"{t}.M1P4242Q1.fixture-account", MESSAGES["raw-utf8"], "S", mtime=t)
    for folder in ("Sent", "Drafts", "Trash", "Junk", "Archive", "C&APQ-ng v&AQM-n &AREevw-n",
                   "C&APQ-ng v&AQM-n &AREevw-n.2026"):
        maildir(os.path.join(account, "." + folder), subfolder=True)
    put(os.path.join(account, ".C&APQ-ng v&AQM-n &AREevw-n.2026"), "cur", f"{t + 5}.M2P4242Q2.fixture-account",
        MESSAGES["encoded-words"], "", mtime=t + 5)
    put(os.path.join(account, ".Sent"), "cur", f"{t + 9}.M3P4242Q3.fixture-account",
        MESSAGES["alternative"], "S", mtime=t + 9)

    # uidlist-kept/: a folder as Dovecot left it: header with a GUID, lines with extension fields
    # and flags in the names, keywords in dovecot-keywords, and one file not yet in the list.
    kept = os.path.join(HERE, "uidlist-kept")
    maildir(kept)
    n1 = put(kept, "cur", f"{t}.M11P900Q1.mail1", MESSAGES["encoded-words"], "Sa", mtime=t)
    n2 = put(kept, "cur", f"{t + 1}.M12P900Q2.mail1", MESSAGES["attachment"], "FSb", mtime=t + 1)
    n3 = put(kept, "cur", f"{t + 2}.M13P900Q3.mail1", MESSAGES["smime-signed"], "", mtime=t + 2)
    n4 = put(kept, "new", f"{t + 3}.M14P900Q4.mail1", MESSAGES["bare-lf"], mtime=t + 3)
    with open(os.path.join(kept, "dovecot-uidlist"), "w") as f:
        f.write("3 V1700000000 N41 G4c5b1c2d8e0f0a11e2a3000012345678\n")
        f.write(f"7 G11112222333344445555666677778888 :{n1}\n")
        f.write(f"23 :{n2.split(':2,')[0]}\n")
        f.write(f"40 W2093 :{n3}\n")
    with open(os.path.join(kept, "dovecot-keywords"), "w") as f:
        f.write("0 $Forwarded\n1 $Junk\n")
    _ = n4

if __name__ == "__main__":
    main()
