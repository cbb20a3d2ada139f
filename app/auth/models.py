"""User accounts and server-side login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class Role(enum.StrEnum):
    """Site-wide roles; circle facilitation is granted per circle."""

    MEMBER = "member"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    ADMIN = "admin"


STAFF_ROLES = (Role.MODERATOR.value, Role.ADMIN.value)  # the site's team, everywhere


def is_moderator_role(role: str) -> bool:
    """Site moderators and admins have trust-and-safety powers everywhere."""
    return role in (Role.MODERATOR.value, Role.ADMIN.value)


class User(UserMixin, db.Model):
    """A person with a pseudonymous display name."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32))
    username_key: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the person deleted their account: the row stays only as "a former member".
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    login_sessions: Mapped[list[LoginSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The login session this request is running under; set by the user loader, never stored.
    current_login = None  # LoginSession | None

    def get_id(self) -> str | None:
        """Flask-Login keeps the login session's token in the cookie, not the user id."""
        return self.current_login.cookie_token if self.current_login else None

    @property
    def is_moderator(self) -> bool:
        """Site moderators and admins have trust-and-safety powers everywhere."""
        return is_moderator_role(self.role)

    @property
    def is_admin(self) -> bool:
        """Admins manage users, roles and global settings."""
        return self.role == Role.ADMIN.value

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class LoginSession(db.Model):
    """One login on one device; the cookie names it, logout revokes it."""

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_user_active", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")

    user: Mapped[User] = relationship(back_populates="login_sessions")

    # The raw token travels only in the cookie; it is set on the object for the current request.
    cookie_token = None  # str | None

    @property
    def is_revoked(self) -> bool:
        """A revoked login can never be used again."""
        return self.revoked_at is not None


def username_key(username: str) -> str:
    """Case-insensitive uniqueness key for usernames."""
    return username.strip().casefold()


class UserPreferences(db.Model):
    """Small per-person preferences that change how the room behaves for them; one row per
    person who changed a default, absent means every default applies."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    share_typing: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Folded by default: a content note should protect people who have not chosen otherwise.
    collapse_content_warnings: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default="1"
    )
    reduce_motion: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # ISO 3166 country code, chosen freely (never guessed): that country's crisis lines first.
    country: Mapped[str] = mapped_column(String(2), default="", server_default="")


class LoginThrottle(db.Model):
    """Failed logins for one account name, known or not (app/auth/throttle.py): the count and
    when the next attempt may be checked. Keyed by an HMAC of the name, never the name itself,
    since people sometimes type a password into the username field."""

    __tablename__ = "login_throttles"

    account_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    wait_until: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = ["LoginSession", "LoginThrottle", "Role", "User", "UserPreferences", "username_key"]
