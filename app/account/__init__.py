"""A person's own settings, export and account deletion."""
