"""Tests for week."""
