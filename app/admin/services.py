"""Admin verbs on accounts: find people, change a site role (audited)."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from app.audit.services import record_audit
from app.auth.models import Role, User
from app.auth.services import AccountError
from app.circles import namesakes
from app.core.signals import standing_changed
from app.extensions import db

PAGE_SIZE = 50


def find_people(query: str = "", page: int = 1) -> tuple[list[User], bool]:
    """Accounts matching a username or display name (case-insensitive), newest first."""
    statement = select(User).where(User.deleted_at.is_(None)).order_by(User.id.desc())
    text = query.strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                User.username_key.like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    rows = list(db.session.scalars(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def change_role(admin: User, user_id: int, role: str) -> User:
    """Set someone's site role; the last admin cannot step down (someone must hold the keys)."""
    if role not in {r.value for r in Role}:
        raise AccountError("Choose one of the roles offered.", "role")
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise LookupError(user_id)
    if user.role == role:
        return user
    if user.role == Role.ADMIN.value and role != Role.ADMIN.value and _admin_count() <= 1:
        raise AccountError(
            "Holdspace needs at least one admin. Make someone else admin first.", "role"
        )
    return assign_role(user, role, admin.id)


def assign_role(user: User, role: str, actor_id: int | None = None) -> User:
    """Give someone a site role (an admin's change, or `holdspace users set-role` with no
    actor): audited, and no new moderator or admin may look like someone they meet."""
    if role not in {r.value for r in Role}:
        raise AccountError(f"Unknown role {role!r}.", "role")
    clash = namesakes.staff_role_clash(user, role)
    if clash is not None:
        raise AccountError(namesakes.staff_role_refusal(user, clash, role), "role")
    previous = user.role
    user.role = role
    record_audit(actor_id, "user:set-role", target_user_id=user.id, detail=f"{previous} -> {role}")
    db.session.commit()
    standing_changed.send(None, user_id=user.id)
    return user


def _admin_count() -> int:
    """How many live accounts are admins."""
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))
    )
