"""The crisis resources Holdspace starts with, before an admin changes anything.

Only lines that are well known and stable are seeded, each with the date it was last checked
against public knowledge; admins keep them current (Admin → Crisis resources). The global
directory (Find A Helpline) is always offered, and is all that is offered when someone has not
chosen a country.
"""

from __future__ import annotations

from datetime import date

INTERNATIONAL = "International"
EU = "EU"
CHECKED = date(2026, 12, 7)

# (name, contact, url, region, checked_on) in display order. Facts only; admins can change them.
DEFAULT_RESOURCES: tuple[tuple[str, str, str, str, date | None], ...] = (
    (
        "Find A Helpline",
        "Free, confidential helplines in your country, by phone, text or chat",
        "https://findahelpline.com",
        INTERNATIONAL,
        CHECKED,
    ),
    (
        "Befrienders Worldwide",
        "Emotional support centres around the world",
        "https://befrienders.org",
        INTERNATIONAL,
        CHECKED,
    ),
    (
        "988 Suicide & Crisis Lifeline",
        "Call or text 988, any time",
        "https://988lifeline.org",
        "US",
        CHECKED,
    ),
    (
        "9-8-8 Suicide Crisis Helpline",
        "Call or text 988, any time",
        "https://988.ca",
        "CA",
        CHECKED,
    ),
    (
        "Samaritans",
        "Call 116 123 for free, day or night",
        "https://www.samaritans.org",
        "GB",
        CHECKED,
    ),
    (
        "Samaritans Ireland",
        "Call 116 123 for free, day or night",
        "https://www.samaritans.org/ireland",
        "IE",
        CHECKED,
    ),
    ("Lifeline", "Call 13 11 14, any time", "https://www.lifeline.org.au", "AU", CHECKED),
    ("Need to talk?", "Call or text 1737, any time", "https://1737.org.nz", "NZ", CHECKED),
    (
        "3114",
        "Call 3114, day or night (national suicide prevention line)",
        "https://3114.fr",
        "FR",
        CHECKED,
    ),
    (
        "TelefonSeelsorge",
        "Call 0800 111 0 111 or 0800 111 0 222, free, day or night",
        "https://www.telefonseelsorge.de",
        "DE",
        CHECKED,
    ),
    (
        "113 Zelfmoordpreventie",
        "Call 113 or 0800 0113 (free), or chat online",
        "https://www.113.nl",
        "NL",
        CHECKED,
    ),
    ("Línea 024", "Call 024, free, any time", "", "ES", CHECKED),
    ("CVV", "Call 188, free, any time", "https://cvv.org.br", "BR", CHECKED),
    ("Tele-MANAS", "Call 14416, free, any time", "https://telemanas.mohfw.gov.in", "IN", CHECKED),
    (
        "Emergency services",
        "Call 112 from any phone anywhere in the EU if you are in danger right now",
        "",
        EU,
        CHECKED,
    ),
)

# Where the EU's emergency number reaches (the countries of the European Union).
EU_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
