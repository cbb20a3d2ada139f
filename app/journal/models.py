"""Journal tables: wrapped keys, per-login and retiring keys, encrypted entries, excerpts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db
from app.journal.crypto import KEY_FORMAT

# The encrypted fields of an entry; each is sealed on its own with its name in the AAD.
ENTRY_FIELDS = ("title", "body", "mood", "feelings", "tags", "prompt", "context")


class JournalKey(db.Model):
    """A member's data key, stored only wrapped: under the password and under a recovery code."""

    __tablename__ = "journal_keys"
    __table_args__ = (UniqueConstraint("user_id", "key_version", name="uq_journal_keys_user_ver"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    password_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    password_kdf: Mapped[str] = mapped_column(String(40))
    wrapped_by_password: Mapped[bytes] = mapped_column(LargeBinary(128))
    recovery_salt: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    wrapped_by_recovery: Mapped[bytes | None] = mapped_column(LargeBinary(128), nullable=True)
    # Format 2: the recovery code's X25519 public key, so a new data key can be sealed to the code.
    recovery_public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    # Keys made before formats existed are format 1 (server default); new ones are KEY_FORMAT.
    entry_format: Mapped[int] = mapped_column(Integer, default=KEY_FORMAT, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rewrapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    recovery_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class JournalSessionKey(db.Model):
    """The data key sealed to one login under a key that only that login's cookie holds."""

    __tablename__ = "journal_session_keys"

    login_id: Mapped[int] = mapped_column(
        ForeignKey("login_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary(128))
    # A new recovery code waiting to be shown once, sealed under the same cookie-held key.
    sealed_recovery_code: Mapped[bytes | None] = mapped_column(LargeBinary(128), nullable=True)
    entry_format: Mapped[int] = mapped_column(Integer, default=KEY_FORMAT, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JournalRetiringKey(db.Model):
    """An older data key sealed under the member's newest one while a rotation re-seals entries.

    Deleted as soon as no entry is sealed under it any more; its password and recovery wraps are
    gone from the moment the rotation starts.
    """

    __tablename__ = "journal_retiring_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key_version", name="uq_journal_retiring_keys_user_ver"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key_version: Mapped[int] = mapped_column(Integer)
    entry_format: Mapped[int] = mapped_column(Integer)
    sealed_by_version: Mapped[int] = mapped_column(Integer)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JournalEntry(db.Model):
    """One journal record (a written entry or a session check-in); only ids and times in clear."""

    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every edit; sealed into each field with created_at (format 2), so rollback shows.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    title: Mapped[bytes] = mapped_column(LargeBinary)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    mood: Mapped[bytes] = mapped_column(LargeBinary)
    feelings: Mapped[bytes] = mapped_column(LargeBinary)
    tags: Mapped[bytes] = mapped_column(LargeBinary)
    prompt: Mapped[bytes] = mapped_column(LargeBinary)
    # {"kind": "entry"|"checkin", "session_id", "moment"} — sealed like the rest.
    context: Mapped[bytes] = mapped_column(LargeBinary)


class JournalSharedExcerpt(db.Model):
    """A copy a member deliberately chose to share into a circle (plain text by design)."""

    __tablename__ = "journal_shared_excerpts"
    __table_args__ = (Index("ix_journal_shared_excerpts_circle", "circle_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = [
    "ENTRY_FIELDS",
    "JournalEntry",
    "JournalKey",
    "JournalRetiringKey",
    "JournalSessionKey",
    "JournalSharedExcerpt",
]
