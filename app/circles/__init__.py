"""Circles: membership, agreements, facilitators and scheduled sessions."""
