"""Cross-cutting pieces: database setup, security headers, socket wiring, the web shell."""
