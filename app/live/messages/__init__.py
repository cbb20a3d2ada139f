"""The room's conversation: sending, catching up, reacting and reporting."""
