"""Journal cryptography: AES-256-GCM fields, Argon2id key wrapping, recovery codes."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from functools import cached_property

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96-bit GCM nonce, fresh for every encryption
SALT_BYTES = 16
RECOVERY_CODE_BYTES = 20  # 160 random bits
RECOVERY_GROUP = 4
RECOVERY_INFO = b"holdspace journal recovery code v1"
# Look-alikes people may type for base32 letters; base32 itself has no 0, 1, 8 or 9.
RECOVERY_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class DecryptionError(Exception):
    """Ciphertext that does not open with this key and context (tampered, moved or wrong key)."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, stored beside each password-wrapped key."""

    time_cost: int
    memory_cost: int  # KiB
    parallelism: int

    def encode(self) -> str:
        """A compact string for the database."""
        return f"t={self.time_cost},m={self.memory_cost},p={self.parallelism}"

    @classmethod
    def decode(cls, text: str) -> KdfParams:
        """Parse what `encode` wrote."""
        values = dict(part.split("=", 1) for part in text.split(","))
        return cls(int(values["t"]), int(values["m"]), int(values["p"]))


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(KEY_BYTES)


def new_salt() -> bytes:
    """A fresh random salt."""
    return secrets.token_bytes(SALT_BYTES)


def seal(key: bytes | AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt with AES-256-GCM under a fresh nonce; returns nonce || ciphertext+tag."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = key if isinstance(key, AESGCM) else AESGCM(key)
    return nonce + cipher.encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes | AESGCM, blob: bytes, aad: bytes) -> bytes:
    """Decrypt what `seal` produced; DecryptionError on any mismatch."""
    if not blob or len(blob) < NONCE_BYTES + 16:
        raise DecryptionError("ciphertext too short")
    cipher = key if isinstance(key, AESGCM) else AESGCM(key)
    try:
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise DecryptionError("ciphertext does not open in this context") from None


def derive_password_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id key-encryption key from a password (own salt, separate from the login hash)."""
    return hash_secret_raw(
        secret=password.encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def derive_recovery_kek(code_bytes: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256 key from a recovery code; 160 random bits need no slow hash."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=RECOVERY_INFO).derive(
        code_bytes
    )


def new_recovery_code() -> tuple[str, bytes]:
    """A recovery code for people to keep (groups of base32) and the bytes it stands for."""
    raw = secrets.token_bytes(RECOVERY_CODE_BYTES)
    text = base64.b32encode(raw).decode("ascii")
    groups = [text[i : i + RECOVERY_GROUP] for i in range(0, len(text), RECOVERY_GROUP)]
    return "-".join(groups), raw


def parse_recovery_code(text: str) -> bytes | None:
    """The bytes of a typed recovery code (any case, spaces or dashes); None if malformed."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(RECOVERY_LOOKALIKES)
    if len(cleaned) != RECOVERY_CODE_BYTES * 8 // 5:
        return None
    try:
        return base64.b32decode(cleaned)
    except (ValueError, base64.binascii.Error):
        return None


def key_aad(user_id: int, key_version: int, wrapper: str) -> bytes:
    """Associated data for a wrapped data key: whose key, which version, wrapped by what."""
    return f"holdspace/journal-key|{user_id}|{key_version}|{wrapper}".encode()


def session_aad(login_id: int, user_id: int, key_version: int, purpose: str) -> bytes:
    """Associated data for a data key sealed to one login session."""
    return f"holdspace/journal-session|{login_id}|{user_id}|{key_version}|{purpose}".encode()


def field_aad(user_id: int, entry_id: int, key_version: int, field_name: str) -> bytes:
    """Associated data for one entry field: ciphertext moved anywhere else fails to open."""
    return f"holdspace/journal-field|{user_id}|{entry_id}|{key_version}|{field_name}".encode()


@dataclass(frozen=True)
class Vault:
    """One member's unlocked data key, held only for the length of one request."""

    user_id: int
    key_version: int
    key: bytes

    @cached_property
    def _cipher(self) -> AESGCM:
        """One AES-GCM context per request rather than one per field."""
        return AESGCM(self.key)

    def seal_field(self, entry_id: int, field_name: str, value) -> bytes:
        """Encrypt one field value (any JSON value) of one entry."""
        plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        aad = field_aad(self.user_id, entry_id, self.key_version, field_name)
        return seal(self._cipher, plaintext, aad)

    def open_field(self, entry_id: int, field_name: str, blob: bytes, key_version=None):
        """Decrypt one field; DecryptionError if it was tampered with or belongs elsewhere."""
        version = self.key_version if key_version is None else key_version
        aad = field_aad(self.user_id, entry_id, version, field_name)
        return json.loads(open_sealed(self._cipher, blob, aad).decode("utf-8"))

    def __repr__(self) -> str:
        return f"<Vault user={self.user_id} v{self.key_version}>"


def encode_cookie_key(key: bytes) -> str:
    """A per-session key as cookie-safe text."""
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_cookie_key(text) -> bytes | None:
    """The per-session key from the cookie, or None if absent or malformed."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None
    return key if len(key) == KEY_BYTES else None
