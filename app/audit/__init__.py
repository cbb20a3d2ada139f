"""The append-only audit log of moderator, facilitator and admin actions."""
