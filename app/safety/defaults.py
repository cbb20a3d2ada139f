"""The crisis resources Holdspace starts with, before an admin changes anything."""

from __future__ import annotations

# (name, contact, url, region) in display order. Facts only; admins can change every field.
DEFAULT_RESOURCES: tuple[tuple[str, str, str, str], ...] = (
    (
        "Find A Helpline",
        "Free, confidential helplines in your country, by phone, text or chat",
        "https://findahelpline.com",
        "International",
    ),
    (
        "988 Suicide & Crisis Lifeline",
        "Call or text 988, any time (United States)",
        "https://988lifeline.org",
        "US",
    ),
    (
        "Samaritans",
        "Call 116 123 for free, day or night (UK and Ireland)",
        "https://www.samaritans.org",
        "UK",
    ),
    (
        "Emergency services",
        "Call 112 from any phone anywhere in the EU if you are in danger right now",
        "",
        "EU",
    ),
    (
        "Befrienders Worldwide",
        "Emotional support centres around the world",
        "https://befrienders.org",
        "International",
    ),
)

INTERNATIONAL = "International"
