"""Tests for practice."""
