"""Accounts: registration, login sessions, passwords and roles."""
