"""Reports, hiding, muting and the moderation audit trail."""
