"""The journal's pages: one blueprint assembled from its entry, key and other view modules."""

from app.journal import entry_views, key_views, more_views  # noqa: F401  (attach the routes)
from app.journal.blueprint import blueprint

__all__ = ["blueprint"]
