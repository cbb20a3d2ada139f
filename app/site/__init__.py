"""The site-wide pages: the landing page and home, the privacy page, the health check."""
