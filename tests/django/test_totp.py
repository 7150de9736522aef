"""The one-time codes of the second factor against the RFCs' own test vectors (no database)."""

from __future__ import annotations

import base64
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from patuh.accounts import totp

# RFC 6238 appendix B: the ASCII seeds, 8-digit codes, for SHA1, SHA256 and SHA512.
SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC_6238 = [
    (59, "SHA1", "94287082"),
    (59, "SHA256", "46119246"),
    (59, "SHA512", "90693936"),
    (1111111109, "SHA1", "07081804"),
    (1111111109, "SHA256", "68084774"),
    (1111111109, "SHA512", "25091201"),
    (1111111111, "SHA1", "14050471"),
    (1111111111, "SHA256", "67062674"),
    (1111111111, "SHA512", "99943326"),
    (1234567890, "SHA1", "89005924"),
    (1234567890, "SHA256", "91819424"),
    (1234567890, "SHA512", "93441116"),
    (2000000000, "SHA1", "69279037"),
    (2000000000, "SHA256", "90698825"),
    (2000000000, "SHA512", "38618901"),
    (20000000000, "SHA1", "65353130"),
    (20000000000, "SHA256", "77737706"),
    (20000000000, "SHA512", "47863826"),
]
# RFC 4226 appendix D: HOTP of the SHA1 seed for counters 0…9.
RFC_4226 = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]
SHA1_SECRET = base64.b32encode(SEEDS["SHA1"]).decode()


def _b32(seed: bytes) -> str:
    return base64.b32encode(seed).decode()


@pytest.mark.parametrize(("at", "algorithm", "expected"), RFC_6238)
def test_it_matches_the_rfc_6238_vectors(at, algorithm, expected):
    assert totp.code_at(_b32(SEEDS[algorithm]), at, digits=8, algorithm=algorithm) == expected


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC_4226)))
def test_it_matches_the_rfc_4226_hotp_vectors(counter, expected):
    assert totp.hotp(SEEDS["SHA1"], counter) == expected


def test_six_digit_codes_are_the_last_six_digits_of_the_rfc_codes():
    assert totp.code_at(SHA1_SECRET, 59) == "287082"
    assert totp.code_at(SHA1_SECRET, 1111111109) == "081804"


def test_a_step_lasts_thirty_seconds():
    assert totp.time_step(0) == totp.time_step(29.999) == 0
    assert totp.time_step(30) == 1
    assert totp.code_at(SHA1_SECRET, 60) == totp.code_at(SHA1_SECRET, 89)


def test_it_accepts_one_step_of_clock_drift_either_way_and_no_more():
    now = 1_700_000_000
    step = totp.time_step(now)
    for drift, accepted in [(-60, False), (-30, True), (0, True), (30, True), (60, False)]:
        code = totp.code_at(SHA1_SECRET, now + drift)
        matched = totp.matching_step(SHA1_SECRET, code, at=now)
        assert (matched == step + drift // 30) if accepted else (matched is None), drift


def test_a_code_is_refused_once_its_step_was_used():
    now = 1_700_000_000
    code = totp.code_at(SHA1_SECRET, now)
    step = totp.matching_step(SHA1_SECRET, code, at=now)
    assert step is not None
    assert totp.matching_step(SHA1_SECRET, code, at=now, after_step=step) is None
    older = totp.code_at(SHA1_SECRET, now - 30)
    assert totp.matching_step(SHA1_SECRET, older, at=now, after_step=step) is None
    newer = totp.code_at(SHA1_SECRET, now + 30)
    assert totp.matching_step(SHA1_SECRET, newer, at=now, after_step=step) == step + 1


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5"])
def test_it_refuses_anything_but_six_ascii_digits(typed):
    assert totp.matching_step(SHA1_SECRET, typed, at=59) is None


def test_it_reads_a_code_typed_with_spaces_or_a_dash():
    code = totp.code_at(SHA1_SECRET, 59)
    assert totp.matching_step(SHA1_SECRET, f"{code[:3]} {code[3:]}", at=59) is not None
    assert totp.matching_step(SHA1_SECRET, f"{code[:3]}-{code[3:]}", at=59) is not None


def test_a_new_secret_is_160_random_bits_in_base32():
    first, second = totp.generate_secret(), totp.generate_secret()
    assert first != second
    assert len(totp.secret_bytes(first)) == 20
    assert len(first) == 32
    assert "=" not in first


def test_a_secret_typed_by_hand_reads_the_same():
    spaced = " ".join(SHA1_SECRET[i : i + 4] for i in range(0, len(SHA1_SECRET), 4)).lower()
    assert totp.secret_bytes(spaced) == SEEDS["SHA1"]
    with pytest.raises(ValueError, match="base32"):
        totp.secret_bytes("not base32!")


def test_the_provisioning_uri_is_what_authenticator_apps_scan():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="penilai.sumut", issuer="Patuh")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/Patuh:penilai.sumut")
    assert parse_qs(parts.query) == {
        "secret": ["JBSWY3DPEHPK3PXP"],
        "issuer": ["Patuh"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_the_module_does_not_need_django():
    program = "import sys, patuh.accounts.totp; print([m for m in sys.modules if 'django' in m])"
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
