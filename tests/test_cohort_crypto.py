"""Cohort crypto (``workbook/crypto.py``): wrapped keys, encrypted files, sealed shares, codes.

Real keys and real ciphertexts throughout; ``REBOUND_KDF=test`` (tests/conftest.py) keeps
Argon2 cheap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from argon2 import profiles

from workbook import crypto
from workbook.crypto import FileCipher, WrongKeyError, WrongSecret
from workbook.storage import DamagedFileError

SECRET = "correct horse battery"
CONTEXT = "account:" + "a" * 32
PLAIN = json.dumps({"wins": {"1": {"text": "quiet harbour lantern"}}}).encode()


# -- wrapped keys ------------------------------------------------------------------------
def test_wrap_unwrap_round_trip_and_the_key_is_not_stored_as_is() -> None:
    key = crypto.new_data_key()
    wrapped = crypto.wrap(key, SECRET, CONTEXT)
    assert crypto.unwrap(wrapped, SECRET, CONTEXT) == key
    stored = wrapped.model_dump_json()
    assert crypto.b64(key) not in stored
    assert key.hex() not in stored
    # Two wraps of one key never look alike (fresh salt and nonce each time).
    again = crypto.wrap(key, SECRET, CONTEXT)
    assert again.salt != wrapped.salt
    assert again.nonce != wrapped.nonce
    assert again.ciphertext != wrapped.ciphertext
    assert crypto.unwrap(again, SECRET, CONTEXT) == key


@pytest.mark.parametrize(
    "secret",
    ["correct horse batterY", "correct horse battery ", "", "something else entirely"],
    ids=["case", "trailing_space", "empty", "other"],
)
def test_unwrap_with_a_wrong_secret_raises_wrong_secret(secret: str) -> None:
    wrapped = crypto.wrap(crypto.new_data_key(), SECRET, CONTEXT)
    with pytest.raises(WrongSecret):
        crypto.unwrap(wrapped, secret, CONTEXT)


def test_unwrap_is_bound_to_its_context() -> None:
    key = crypto.new_data_key()
    wrapped = crypto.wrap(key, SECRET, "account:" + "a" * 32)
    with pytest.raises(WrongSecret):
        crypto.unwrap(wrapped, SECRET, "account:" + "b" * 32)
    with pytest.raises(WrongSecret):
        crypto.unwrap(wrapped, SECRET, "")
    assert crypto.unwrap(wrapped, SECRET, "account:" + "a" * 32) == key


def test_wrapped_key_keeps_its_argon2_parameters_and_they_are_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = crypto.new_data_key()
    wrapped = crypto.wrap(key, SECRET, CONTEXT)
    cheapest = profiles.CHEAPEST
    assert (wrapped.time_cost, wrapped.memory_cost, wrapped.parallelism) == (
        cheapest.time_cost,
        cheapest.memory_cost,
        cheapest.parallelism,
    )
    assert len(crypto.unb64(wrapped.salt)) == crypto.SALT_BYTES
    assert len(crypto.unb64(wrapped.nonce)) == crypto.NONCE_BYTES
    # The profile changes later (a real server): the stored parameters still open the key.
    monkeypatch.setenv("REBOUND_KDF", "default")
    assert crypto._profile() == profiles.RFC_9106_LOW_MEMORY
    assert crypto.unwrap(wrapped, SECRET, CONTEXT) == key
    # ... and they really are what the derivation uses: other parameters derive another key.
    for change in ({"time_cost": 2}, {"memory_cost": 16}, {"memory_cost": 16, "parallelism": 2}):
        with pytest.raises(WrongSecret):
            crypto.unwrap(wrapped.model_copy(update=change), SECRET, CONTEXT)


def test_a_tampered_wrapped_key_is_a_wrong_secret() -> None:
    wrapped = crypto.wrap(crypto.new_data_key(), SECRET, CONTEXT)
    raw = bytearray(crypto.unb64(wrapped.ciphertext))
    raw[0] ^= 0x01
    tampered = wrapped.model_copy(update={"ciphertext": crypto.b64(bytes(raw))})
    with pytest.raises(WrongSecret):
        crypto.unwrap(tampered, SECRET, CONTEXT)


# -- encrypted files ---------------------------------------------------------------------
def test_file_cipher_round_trip_and_layout() -> None:
    key = crypto.new_data_key()
    cipher = FileCipher(key, "participant:x")
    raw = cipher.encode(PLAIN)
    assert raw.startswith(crypto.FILE_MAGIC)
    assert raw[4:12] == crypto.key_id(key)
    assert b"quiet harbour lantern" not in raw
    assert len(raw) == 4 + 8 + 12 + len(PLAIN) + 16
    assert cipher.decode(raw) == PLAIN
    # A new cipher object with the same key (a restart) reads it too.
    assert FileCipher(bytes(key), "participant:x").decode(raw) == PLAIN
    # Every encoding uses a fresh nonce.
    assert cipher.encode(PLAIN) != raw


def test_file_cipher_refuses_a_key_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        FileCipher(b"\x00" * 16, "participant:x")


def test_a_tampered_byte_is_damage_not_a_wrong_key() -> None:
    cipher = FileCipher(crypto.new_data_key(), "participant:x")
    raw = cipher.encode(PLAIN)
    for position in (len(raw) // 2, len(raw) - 1, 4 + 8):  # body, tag, nonce
        tampered = bytearray(raw)
        tampered[position] ^= 0x40
        with pytest.raises(DamagedFileError) as caught:
            cipher.decode(bytes(tampered))
        assert not isinstance(caught.value, WrongKeyError)


def test_a_wrong_key_is_wrong_key_error_not_damage() -> None:
    raw = FileCipher(crypto.new_data_key(), "participant:x").encode(PLAIN)
    with pytest.raises(WrongKeyError, match="has not been changed") as caught:
        FileCipher(crypto.new_data_key(), "participant:x").decode(raw)
    assert not isinstance(caught.value, DamagedFileError)


def _truncate_body(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _truncate_to_header(raw: bytes) -> bytes:
    return raw[:12]


def _truncate_inside_key_id(raw: bytes) -> bytes:
    return raw[:7]


def _garbage(raw: bytes) -> bytes:
    return b"\x00\xff garbage" + bytes(range(200))


def _plain_json(raw: bytes) -> bytes:
    return PLAIN


def _empty(raw: bytes) -> bytes:
    return b""


@pytest.mark.parametrize(
    "damage",
    [
        _truncate_body,
        _truncate_to_header,
        _truncate_inside_key_id,
        _garbage,
        _plain_json,
        _empty,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_unreadable_bytes_are_damaged_file_error(damage: Callable[[bytes], bytes]) -> None:
    cipher = FileCipher(crypto.new_data_key(), "participant:x")
    with pytest.raises(DamagedFileError):
        cipher.decode(damage(cipher.encode(PLAIN)))


def test_files_of_different_contexts_are_not_interchangeable() -> None:
    key = crypto.new_data_key()
    raw = FileCipher(key, "participant:" + "a" * 32).encode(PLAIN)
    with pytest.raises(DamagedFileError):
        FileCipher(key, "participant:" + "b" * 32).decode(raw)
    assert FileCipher(key, "participant:" + "a" * 32).decode(raw) == PLAIN


def test_key_id_is_a_short_fingerprint_that_tells_keys_apart() -> None:
    a, b = crypto.new_data_key(), crypto.new_data_key()
    assert len(crypto.key_id(a)) == crypto.KEY_ID_BYTES
    assert crypto.key_id(a) == crypto.key_id(bytes(a))
    assert crypto.key_id(a) != crypto.key_id(b)
    assert crypto.key_id(a) not in a


# -- sealed shares -----------------------------------------------------------------------
def test_seal_and_open_round_trip() -> None:
    private, public = crypto.new_keypair()
    assert len(private) == len(public) == 32
    blob = crypto.seal(public, b"quiet harbour lantern", "share:x:wins")
    assert blob.startswith(crypto.SEAL_MAGIC)
    assert b"quiet harbour lantern" not in blob
    assert crypto.open_sealed(private, blob, "share:x:wins") == b"quiet harbour lantern"
    assert crypto.seal(public, b"quiet harbour lantern", "share:x:wins") != blob
    assert crypto.open_sealed(private, crypto.seal(public, b"", "c"), "c") == b""


def test_a_sealed_share_opens_only_with_its_private_key_and_context() -> None:
    private, public = crypto.new_keypair()
    other_private, _ = crypto.new_keypair()
    blob = crypto.seal(public, b"for the facilitator", "share:a:wins")
    with pytest.raises(WrongSecret):
        crypto.open_sealed(other_private, blob, "share:a:wins")
    with pytest.raises(WrongSecret):
        crypto.open_sealed(private, blob, "share:b:wins")
    with pytest.raises(WrongSecret):
        crypto.open_sealed(private, blob, "share:a:feelings")
    tampered = bytearray(blob)
    tampered[-1] ^= 0x01
    with pytest.raises(WrongSecret):
        crypto.open_sealed(private, bytes(tampered), "share:a:wins")
    for junk in (b"", b"RBS1", b"not sealed at all" * 4, blob[:40]):
        with pytest.raises(WrongSecret):
            crypto.open_sealed(private, junk, "share:a:wins")


def test_a_blob_with_an_all_zero_ephemeral_key_is_wrong_secret() -> None:
    private, _ = crypto.new_keypair()
    blob = crypto.SEAL_MAGIC + b"\x00" * 32 + b"\x00" * crypto.NONCE_BYTES + b"x" * 32
    with pytest.raises(WrongSecret):
        crypto.open_sealed(private, blob, "share:a:wins")


# -- codes -------------------------------------------------------------------------------
def test_new_code_format() -> None:
    pattern = re.compile(r"[23456789A-HJKMNP-Z]{4}(-[23456789A-HJKMNP-Z]{4}){3}")
    codes = {crypto.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert pattern.fullmatch(code), code
        assert not set(code) & set("01OIL")
    assert re.fullmatch(r"(\w{4}-){4}\w{4}", crypto.new_code(5))
    assert len(crypto.new_code(1)) == 4


@pytest.mark.parametrize(
    "typed",
    ["7kq3-xw9p-abcd-efgh", "7KQ3XW9PABCDEFGH", " 7kq3 xw9p abcd efgh ", "7KQ3--XW9P–ABCD efgh"],
)
def test_normalise_code_ignores_case_spaces_and_dashes(typed: str) -> None:
    assert crypto.normalise_code(typed) == "7KQ3-XW9P-ABCD-EFGH"
    assert crypto.code_digest(typed) == crypto.code_digest("7KQ3-XW9P-ABCD-EFGH")


def test_code_digest_tells_different_codes_apart_and_hides_the_code() -> None:
    digest = crypto.code_digest("7KQ3-XW9P-ABCD-EFGH")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert "7KQ3" not in digest.upper()
    assert digest != crypto.code_digest("7KQ3-XW9P-ABCD-EFGJ")


# -- passwords ---------------------------------------------------------------------------
def test_hash_and_verify_password() -> None:
    stored = crypto.hash_password(SECRET)
    assert stored.startswith("$argon2id$")
    assert SECRET not in stored
    assert crypto.verify_password(stored, SECRET) is True
    assert crypto.verify_password(stored, SECRET + "x") is False
    assert crypto.verify_password(stored, "") is False
    assert crypto.verify_password("not a hash", SECRET) is False
    assert crypto.hash_password(SECRET) != stored  # salted
    crypto.dummy_verify(SECRET)  # never raises, whatever it is given
