"""The control-character check: exactly the categories it names, whatever its shortcut."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from app.core.validators import has_control_characters

CONTROL_CATEGORIES = ("Cc", "Cf", "Cs", "Co")  # control, format, surrogate, private use


def _by_the_book(text: str) -> bool:
    return any(unicodedata.category(ch) in CONTROL_CATEGORIES and ch not in "\n\r\t" for ch in text)


def test_every_kind_of_character_is_judged_by_its_unicode_category():
    # Every 7th code point covers every category; spaces, separators and unassigned points
    # (not printable, yet allowed) must not be mistaken for controls by the fast path.
    for point in [*range(0, sys.maxunicode + 1, 7), 0xA0, 0x2028, 0x3000, 0x0378]:
        character = chr(point)
        for text in (character, f"a{character}b\n", f"\t{character} "):
            assert has_control_characters(text) == _by_the_book(text), hex(point)


@pytest.mark.parametrize("text", ["a\x00b", "\u202eevil", "\ufeff", "x\udc80", "\ue000"])
def test_controls_format_surrogates_and_private_use_are_refused(text):
    assert has_control_characters(text)


@pytest.mark.parametrize("text", ["", "line one\nline two\r\n\tthree", "café 🙂", "\u00a0\u3000"])
def test_ordinary_writing_passes(text):
    assert not has_control_characters(text)
