"""Recovery codes as X25519 keys: new data keys can be sealed to a code the server never holds.

Format 1 wrapped one data key under a symmetric key derived from the code, so a rotation could
not reach the code a member keeps. Here the code derives an X25519 private key; only its public
half is stored, and any later data key is sealed to it (an ephemeral key agreement, HKDF-SHA256,
AES-256-GCM).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.journal.crypto import KEY_BYTES, DecryptionError, open_sealed, seal

RECOVERY_KEY_INFO = b"holdspace journal recovery x25519 key v2"
RECOVERY_WRAP_INFO = b"holdspace journal recovery wrap v2"
X25519_BYTES = 32


def _recovery_private_key(code_bytes: bytes) -> X25519PrivateKey:
    """The X25519 private key a recovery code stands for (160 random bits need no slow hash)."""
    seed = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=RECOVERY_KEY_INFO)
    return X25519PrivateKey.from_private_bytes(seed.derive(code_bytes))


def recovery_public_key(code_bytes: bytes) -> bytes:
    """The public half of a recovery code, stored so later keys can be sealed to the code."""
    return _recovery_private_key(code_bytes).public_key().public_bytes_raw()


def _recovery_wrap_kek(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    """The wrapping key of one sealed-to-the-code blob."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral + public,
        info=RECOVERY_WRAP_INFO,
    ).derive(shared)


def seal_to_recovery_key(public: bytes, data_key: bytes, aad: bytes) -> bytes:
    """Seal a data key so only the recovery code opens it; the server never needs the code.

    So a password change can make a new data key and the code the member keeps still opens it.
    """
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    kek = _recovery_wrap_kek(shared, ephemeral_public, public)
    return ephemeral_public + seal(kek, data_key, aad)


def open_with_recovery_key(code_bytes: bytes, blob: bytes, aad: bytes) -> bytes:
    """Open what `seal_to_recovery_key` sealed; DecryptionError for a wrong code or a bad blob."""
    private = _recovery_private_key(code_bytes)
    try:
        ephemeral_public = X25519PublicKey.from_public_bytes(blob[:X25519_BYTES])
        shared = private.exchange(ephemeral_public)
    except ValueError:
        raise DecryptionError("recovery blob does not open") from None
    public = private.public_key().public_bytes_raw()
    kek = _recovery_wrap_kek(shared, blob[:X25519_BYTES], public)
    return open_sealed(kek, blob[X25519_BYTES:], aad)
