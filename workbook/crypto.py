"""Keys and encryption for cohort mode: private workbooks, wrapped keys, sealed shares.

- Each participant's workbook is encrypted with a random 32-byte *data key*
  (ChaCha20-Poly1305). The data key is never stored as is: it is *wrapped* (encrypted) with
  a key derived from the participant's password by Argon2id, and once more with a key derived
  from a recovery code shown once at sign-up. Changing the password re-wraps the same data
  key, so the workbook itself is not rewritten.
- A facilitator has an X25519 key pair; the private key is wrapped the same way. A worksheet a
  participant shares is *sealed* to the facilitator's public key, so only the facilitator (not
  the server's operator, not other participants) can open it.
- Passwords are also hashed with Argon2id (argon2-cffi's ``PasswordHasher``) to check a
  sign-in before any key is unwrapped.

Nothing here imports Streamlit. Argon2 costs come from :func:`workbook.config.kdf_profile`;
the parameters are stored with every wrapped key and hash, so a key wrapped under one
profile still opens after the profile changes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import secrets

from argon2 import PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import BaseModel, ConfigDict

from workbook import config
from workbook.storage import DamagedFileError, StorageError

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
FILE_MAGIC = b"RBX1"  # Rebound encrypted file, format 1
KEY_ID_BYTES = 8
SEAL_MAGIC = b"RBS1"
# Codes are typed by people: no 0/O, 1/I/L; groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class WrongSecret(ValueError):
    """The password or recovery code does not open this key."""


class WrongKeyError(StorageError):
    """A file was opened with a key that is not its own (never treated as damage)."""


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _profile() -> profiles.Parameters:
    return profiles.CHEAPEST if config.kdf_profile() == "test" else profiles.RFC_9106_LOW_MEMORY


# -- codes -------------------------------------------------------------------------------
def new_code(groups: int = 4) -> str:
    """A random code like ``7KQ3-XW9P-…`` (about 20 bits a group)."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(groups))


def normalise_code(text: str) -> str:
    """What a person typed, as the code it means: case, spaces and dashes do not matter."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def code_digest(code: str) -> str:
    """How an invite code is stored: codes are long and random, so a plain hash suffices."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


# -- passwords ---------------------------------------------------------------------------
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(_profile())


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(stored, password)  # parameters come from ``stored``
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def dummy_verify(password: str) -> None:
    """Spend the time of a real check, so an unknown name answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


# -- wrapped keys ------------------------------------------------------------------------
class WrappedKey(BaseModel):
    """A secret key encrypted under a key derived from a password or recovery code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    salt: str
    nonce: str
    ciphertext: str
    time_cost: int
    memory_cost: int
    parallelism: int


def _derive(secret: str, salt: bytes, time_cost: int, memory_cost: int, parallelism: int) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=time_cost,
        memory_cost=memory_cost,
        parallelism=parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def wrap(key: bytes, secret: str, context: str) -> WrappedKey:
    """Encrypt ``key`` under ``secret``; ``context`` (e.g. the account id) is bound to it."""
    p = _profile()
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    kek = _derive(secret, salt, p.time_cost, p.memory_cost, p.parallelism)
    sealed = ChaCha20Poly1305(kek).encrypt(nonce, key, context.encode("utf-8"))
    return WrappedKey(
        salt=b64(salt),
        nonce=b64(nonce),
        ciphertext=b64(sealed),
        time_cost=p.time_cost,
        memory_cost=p.memory_cost,
        parallelism=p.parallelism,
    )


def unwrap(wrapped: WrappedKey, secret: str, context: str) -> bytes:
    """The key inside ``wrapped``; :class:`WrongSecret` if ``secret`` does not open it."""
    kek = _derive(
        secret,
        unb64(wrapped.salt),
        wrapped.time_cost,
        wrapped.memory_cost,
        wrapped.parallelism,
    )
    try:
        return ChaCha20Poly1305(kek).decrypt(
            unb64(wrapped.nonce), unb64(wrapped.ciphertext), context.encode("utf-8")
        )
    except InvalidTag:
        raise WrongSecret("this secret does not open the key") from None


def new_data_key() -> bytes:
    return ChaCha20Poly1305.generate_key()


def key_id(key: bytes) -> bytes:
    """A short public fingerprint of a key: tells "wrong key" apart from "damaged file"."""
    return hashlib.blake2b(key, digest_size=KEY_ID_BYTES, person=b"rebound-keyid").digest()


# -- encrypted files -----------------------------------------------------------------------
class FileCipher:
    """The codec of an encrypted workbook file (see :class:`workbook.storage.Codec`).

    Layout: ``RBX1`` · key id (8 bytes) · nonce (12) · ChaCha20-Poly1305 ciphertext and tag.
    The file's role (``context``, e.g. ``participant:<id>``) is authenticated with it, so one
    participant's file cannot be swapped in for another's.
    """

    def __init__(self, key: bytes, context: str) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a data key has 32 bytes")
        self._aead = ChaCha20Poly1305(key)
        self._id = key_id(key)
        self._aad = context.encode("utf-8")

    def encode(self, plain: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return FILE_MAGIC + self._id + nonce + self._aead.encrypt(nonce, plain, self._aad)

    def decode(self, raw: bytes) -> bytes:
        head = len(FILE_MAGIC)
        if raw[:head] != FILE_MAGIC:
            raise DamagedFileError("the file is not an encrypted workbook")
        if len(raw) < head + KEY_ID_BYTES + NONCE_BYTES + 16:  # 16: the tag
            raise DamagedFileError("the encrypted file is cut short")
        if raw[head : head + KEY_ID_BYTES] != self._id:
            raise WrongKeyError(
                "This workbook was locked with a different key. The file has not been changed."
            )
        start = head + KEY_ID_BYTES
        nonce, body = raw[start : start + NONCE_BYTES], raw[start + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, self._aad)
        except (InvalidTag, ValueError):
            raise DamagedFileError("the encrypted file does not check out") from None


# -- sealed shares -----------------------------------------------------------------------
def new_keypair() -> tuple[bytes, bytes]:
    """(private, public) raw X25519 keys."""
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private.private_bytes_raw(), public


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"rebound-seal" + ephemeral
    ).derive(shared + recipient)


def seal(recipient_public: bytes, plain: bytes, context: str) -> bytes:
    """Encrypt ``plain`` so only the holder of the matching private key can read it."""
    ephemeral = X25519PrivateKey.generate()
    eph_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _seal_key(shared, eph_public, recipient_public)
    nonce = os.urandom(NONCE_BYTES)
    body = ChaCha20Poly1305(key).encrypt(nonce, plain, context.encode("utf-8"))
    return SEAL_MAGIC + eph_public + nonce + body


def open_sealed(private: bytes, blob: bytes, context: str) -> bytes:
    """Open what :func:`seal` made; :class:`WrongSecret` if it is not for this key."""
    head = len(SEAL_MAGIC)
    if blob[:head] != SEAL_MAGIC or len(blob) < head + 32 + NONCE_BYTES:
        raise WrongSecret("not a sealed share")
    eph_public = blob[head : head + 32]
    nonce = blob[head + 32 : head + 32 + NONCE_BYTES]
    me = X25519PrivateKey.from_private_bytes(private)
    my_public = me.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    try:
        shared = me.exchange(X25519PublicKey.from_public_bytes(eph_public))
    except ValueError:  # e.g. a low-order point: no share was ever sealed like that
        raise WrongSecret("not a sealed share") from None
    key = _seal_key(shared, eph_public, my_public)
    try:
        return ChaCha20Poly1305(key).decrypt(
            nonce, blob[head + 32 + NONCE_BYTES :], context.encode("utf-8")
        )
    except InvalidTag:
        raise WrongSecret("this share cannot be opened with this key") from None
