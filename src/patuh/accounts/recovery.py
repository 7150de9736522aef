"""One-time recovery codes: the way in when the phone with the authenticator app is not at hand.

A code is eight symbols of Crockford's base32 in lower case (``0-9`` and ``a-z`` without
``i``, ``l``, ``o`` and ``u``), shown as two groups of four: ``7k3m-q9xz``. That is 40 random
bits per code. Whoever reads a code back types ``o`` for ``0`` or ``l`` for ``1`` now and then,
so those letters are read as the digits they look like; case, spaces and dashes do not matter.

Only a keyed hash is kept: HMAC-SHA256 under a key derived from Django's ``SECRET_KEY``, over a
random per-code salt and the code. Why not Django's password hashers: a login attempt must try
every unused code of the account (ten), and ten argon2 or PBKDF2 rounds per attempt would make
the code page slow and an easy way to load the server; stretching also buys little for 40 random
bits that are only ever tried online, after the password, under the lockout. Someone who copies
the database without the secret key cannot test guesses offline; someone who has both can read
the authenticator secrets (stored in plain text) anyway. The per-code salt keeps two equal codes
from having equal digests.

No Django here, like ``totp``: the caller passes the key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
"""Crockford's base32 in lower case: 32 symbols, 5 bits each."""
LENGTH = 8
GROUP = 4
COUNT = 10
"""Codes in one set."""
BITS = LENGTH * 5
SALT_BYTES = 16

_LOOKALIKES = str.maketrans({"o": "0", "i": "1", "l": "1"})
_KEY_PURPOSE = b"patuh.accounts.recovery-code"


def generate(count: int = COUNT) -> list[str]:
    """``count`` new codes, all different, formatted for display (``abcd-efgh``)."""
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in codes:
            codes.append(code)
    return [display(code) for code in codes]


def display(code: str) -> str:
    """A normalised code in groups of four, joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """A typed code as stored: lower case, no spaces or dashes, look-alike letters as digits."""
    return "".join(typed.split()).replace("-", "").lower().translate(_LOOKALIKES)


def is_code(typed: str) -> bool:
    """Whether ``typed`` (after ``normalise``) has the shape of a recovery code."""
    code = normalise(typed)
    return len(code) == LENGTH and all(symbol in ALPHABET for symbol in code)


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def derive_key(secret: str | bytes) -> bytes:
    """The HMAC key for recovery codes, derived from the site's secret key.

    A key of its own, so a digest here can never be mistaken for any other HMAC the site
    makes with the same secret (sessions, password-reset links, signed cookies).
    """
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, _KEY_PURPOSE, hashlib.sha256).digest()


def digest(code: str, *, salt: str, key: bytes) -> str:
    """The stored form of a code: hex HMAC-SHA256 of ``salt:code`` under ``key``."""
    message = f"{salt}:{normalise(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def matches(code: str, *, salt: str, stored: str, keys: list[bytes]) -> bool:
    """Whether ``code`` is the one stored as ``stored``, under any of ``keys``.

    Several keys because a site that rotates its secret key keeps the old one in
    ``SECRET_KEY_FALLBACKS`` for a while; codes made before the rotation keep working.
    """
    found = False
    for key in keys:
        found |= hmac.compare_digest(digest(code, salt=salt, key=key), stored)
    return found
