"""Every country a person may choose for their crisis lines: ISO 3166-1 alpha-2 codes with their
English short names (the common form where ISO gives one, such as "Bolivia"), by name.

The list comes from pycountry's copy of ISO 3166-1. A country without seeded lines is still
worth choosing: the choice is kept, and the international directory is shown.
"""

from __future__ import annotations

import unicodedata

import pycountry


def _sort_key(pair: tuple[str, str]) -> str:
    """Alphabetical as a reader expects: "Åland Islands" among the A's."""
    plain = unicodedata.normalize("NFKD", pair[1]).encode("ascii", "ignore").decode()
    return plain.casefold()


COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries),
        key=_sort_key,
    )
)

COUNTRY_NAMES: dict[str, str] = dict(COUNTRIES)


def country_name(code: str | None) -> str:
    """The English name of a country code, or the code itself if it is not on the list."""
    return COUNTRY_NAMES.get(code or "", code or "")
