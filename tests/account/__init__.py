"""Tests for account."""
