"""Time-based one-time passwords (RFC 6238) in plain Python, for the optional second factor.

A code is HOTP (RFC 4226) over the number of 30-second steps since the Unix epoch: HMAC-SHA1
of the step as an 8-byte big-endian counter, dynamically truncated to 31 bits, the last six
decimal digits. Authenticator apps (Google Authenticator, Microsoft Authenticator, FreeOTP,
Aegis…) read the secret from an ``otpauth://`` URI shown as a QR code.

Verification accepts the current step and one step either side (clock drift of up to 30 s
each way) and refuses any step at or before the last one used, so a code seen over someone's
shoulder cannot be replayed. No Django here: golden-value tests run in milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

PERIOD = 30
"""Seconds per step."""
DIGITS = 6
WINDOW = 1
"""Steps accepted either side of the current one."""
SECRET_BYTES = 20
"""160 bits, the HMAC-SHA1 block-friendly length RFC 4226 recommends."""

_DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def generate_secret() -> str:
    """A new random secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """The key behind a base32 secret; spaces and lower case (as typed by hand) are fine.

    Raises ``ValueError`` for anything that is not base32.
    """
    cleaned = secret.replace(" ", "").upper()
    if not cleaned:
        raise ValueError("empty secret")
    cleaned += "=" * (-len(cleaned) % 8)
    try:
        return base64.b32decode(cleaned)
    except ValueError as error:  # binascii.Error is a ValueError
        raise ValueError("secret is not base32") from error


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "SHA1") -> str:
    """RFC 4226 HOTP value of ``counter`` under ``key``, zero-padded to ``digits``."""
    mac = hmac.new(key, struct.pack(">Q", counter), _DIGESTS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float | None = None, *, period: int = PERIOD) -> int:
    """The step a Unix time (default: now) falls in."""
    return int((time.time() if at is None else at) // period)


def code_at(
    secret: str,
    at: float | None = None,
    *,
    digits: int = DIGITS,
    algorithm: str = "SHA1",
    period: int = PERIOD,
) -> str:
    """The code an authenticator app shows at Unix time ``at`` (default: now)."""
    return hotp(
        secret_bytes(secret), time_step(at, period=period), digits=digits, algorithm=algorithm
    )


def normalise(code: str) -> str:
    """The digits of a typed code: spaces and dashes (``123 456``, ``123-456``) dropped."""
    return "".join(code.split()).replace("-", "")


def matching_step(
    secret: str,
    code: str,
    *,
    at: float | None = None,
    window: int = WINDOW,
    after_step: int | None = None,
) -> int | None:
    """The step whose code ``code`` is, within ``window`` steps of ``at``; else ``None``.

    Steps at or before ``after_step`` (the last one used) are never matched: a code works once.
    """
    typed = normalise(code)
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    key = secret_bytes(secret)
    current = time_step(at)
    for step in range(current - window, current + window + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(key, step), typed):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://totp/…`` URI an authenticator app scans from a QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": PERIOD,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
