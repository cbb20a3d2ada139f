"""Journal cryptography: AES-256-GCM fields, Argon2id key wrapping, recovery codes, padding."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
# Format 1: field AAD without revision or date, recovery wrapped with a symmetric key.
# Format 2: revision and created_at in the field AAD, fields padded, recovery sealed to X25519
# (app/journal/recovery_keys.py).
LEGACY_FORMAT = 1
KEY_FORMAT = 2
PAD_MINIMUM = 256  # bytes: every small field of every record kind shares this bucket
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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
    """Format 1 (legacy) recovery wrap: HKDF-SHA256 key from the code and its salt."""
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


def key_aad(
    user_id: int, key_version: int, wrapper: str, entry_format: int = LEGACY_FORMAT
) -> bytes:
    """Associated data for a wrapped data key: whose key, which version, wrapped by what."""
    return f"{_label('journal-key', entry_format)}|{user_id}|{key_version}|{wrapper}".encode()


def session_aad(
    login_id: int, user_id: int, key_version: int, purpose: str, entry_format: int = LEGACY_FORMAT
) -> bytes:
    """Associated data for a data key sealed to one login session."""
    label = _label("journal-session", entry_format)
    return f"{label}|{login_id}|{user_id}|{key_version}|{purpose}".encode()


def retiring_aad(user_id: int, key_version: int, entry_format: int, sealed_by: int) -> bytes:
    """Associated data for an older data key sealed under its successor during a rotation."""
    return f"holdspace/journal-retiring|{user_id}|{key_version}|{entry_format}|{sealed_by}".encode()


def field_aad(
    user_id: int,
    entry_id: int,
    key_version: int,
    field_name: str,
    entry_format: int = LEGACY_FORMAT,
    revision: int | None = None,
    created_at: datetime | None = None,
) -> bytes:
    """Associated data for one entry field: ciphertext moved anywhere else fails to open.

    From format 2 the entry's revision and creation time are bound too, so an older body put
    back into a newer row, or a row given another date, no longer opens.
    """
    if entry_format == LEGACY_FORMAT:
        return f"holdspace/journal-field|{user_id}|{entry_id}|{key_version}|{field_name}".encode()
    if revision is None or created_at is None:
        raise ValueError("format 2 fields are bound to a revision and a creation time")
    place = f"{user_id}|{entry_id}|{key_version}|{revision}|{_micros(created_at)}|{field_name}"
    return f"{_label('journal-field', entry_format)}|{place}".encode()


def _label(name: str, entry_format: int) -> str:
    """The AAD prefix; format 1 keeps the exact strings it was sealed with."""
    return (
        f"holdspace/{name}" if entry_format == LEGACY_FORMAT else f"holdspace/{name}/{entry_format}"
    )


def _micros(moment: datetime) -> int:
    """Whole microseconds since the epoch (exact, unlike a float timestamp)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


def padded_length(length: int) -> int:
    """Padmé bucket for a plaintext length, never below PAD_MINIMUM.

    Every small field (a mood, a check-in's context, a short title) lands in the same bucket;
    above it a length is rounded up by at most about 12%, leaking only its rough magnitude.
    """
    if length <= PAD_MINIMUM:
        return PAD_MINIMUM
    exponent = length.bit_length() - 1
    mask = (1 << (exponent - exponent.bit_length())) - 1
    return (length + mask) & ~mask


def pad(plaintext: bytes) -> bytes:
    """JSON padded with trailing spaces to its bucket; JSON parsers ignore the spaces."""
    return plaintext + b" " * (padded_length(len(plaintext)) - len(plaintext))


@dataclass(frozen=True)
class OlderKey:
    """A data key being retired: entries still sealed under it open until they are re-sealed."""

    key_version: int
    key: bytes
    entry_format: int


@dataclass(frozen=True)
class Vault:
    """One member's unlocked data key (and any older ones still retiring), for one request."""

    user_id: int
    key_version: int
    key: bytes
    entry_format: int = KEY_FORMAT
    older: tuple[OlderKey, ...] = ()

    @cached_property
    def _ciphers(self) -> dict[int, tuple[AESGCM, int]]:
        """One AES-GCM context per key version for this request rather than one per field."""
        ciphers = {old.key_version: (AESGCM(old.key), old.entry_format) for old in self.older}
        ciphers[self.key_version] = (AESGCM(self.key), self.entry_format)
        return ciphers

    @property
    def is_rotating(self) -> bool:
        """Whether older keys are still waiting for their entries to be re-sealed."""
        return bool(self.older)

    def seal_field(self, entry_id: int, field_name: str, value, *, revision=1, created_at=None):
        """Encrypt one field value (any JSON value) of one entry, padded, under the newest key."""
        plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        aad = field_aad(
            self.user_id,
            entry_id,
            self.key_version,
            field_name,
            self.entry_format,
            revision,
            created_at,
        )
        return seal(self._ciphers[self.key_version][0], pad(plaintext), aad)

    def open_field(
        self,
        entry_id: int,
        field_name: str,
        blob: bytes,
        key_version=None,
        *,
        revision=1,
        created_at=None,
    ):
        """Decrypt one field; DecryptionError if it was tampered with or belongs elsewhere."""
        version = self.key_version if key_version is None else key_version
        if version not in self._ciphers:
            raise DecryptionError("no key of this version is held")
        cipher, entry_format = self._ciphers[version]
        aad = field_aad(
            self.user_id, entry_id, version, field_name, entry_format, revision, created_at
        )
        return json.loads(open_sealed(cipher, blob, aad).decode("utf-8"))

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
