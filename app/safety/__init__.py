"""Safety: risk-language detection, crisis resources and the help pages."""
