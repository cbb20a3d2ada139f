"""Journaling prompts in our own words, grouped by when and why they might help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    """One prompt: a stable id, the theme it belongs to and the words themselves."""

    id: str
    theme: str
    text: str


THEMES = {
    "before": (
        "Before a release session",
        "For the few minutes before you let yourself feel: arriving, and giving permission.",
    ),
    "after": (
        "After a release session",
        "For the quiet afterwards, while what moved through you is still close.",
    ),
    "circle": (
        "After a circle",
        "For the hours and the day after a circle, while what you heard and shared settles.",
    ),
    "patterns": (
        "Triggers and themes",
        "For noticing, over weeks, what tends to bring feelings up and what they keep circling.",
    ),
    "compassion": (
        "Self-compassion",
        "For speaking to yourself the way you would speak to someone you love.",
    ),
    "barriers": (
        "What gets in the way",
        "For the old rules and stories that say feelings should stay hidden.",
    ),
    "gratitude": (
        "Gratitude",
        "For small, real things that held you, without forcing any silver linings.",
    ),
}

_PROMPT_TEXTS = {
    "before": [
        "What am I carrying into this moment? Where do I feel it in my body?",
        "What would I like to give myself permission to feel today?",
        "What do I need to feel safe enough right now: a place, a sound, a blanket?",
        "If this session had a gentle intention, what would it be?",
    ],
    "after": [
        "How does my body feel now compared with before? What has shifted, even a little?",
        "What came up that surprised me? What did it seem to want me to know?",
        "Did I stay present, or did it feel like too much? What helped me come back?",
        "What would be a kind way to spend the next hour?",
    ],
    "circle": [
        "How am I leaving the circle, compared with how I arrived? What would I like to keep?",
        "How am I today, after the circle? What has stayed with me since?",
        "Was there a moment in the circle when I felt less alone? What happened just then?",
    ],
    "patterns": [
        "What happened just before the feelings came? Have I met that moment before?",
        "Which themes keep returning in what I write: a person, a loss, a fear?",
        "When do tears come easily for me, and when do they stay away?",
    ],
    "compassion": [
        "What would I say to a close friend who felt the way I feel now?",
        "Which part of me is tired, and what does it need from me?",
        "Can I write a few lines to myself that begin: It makes sense that you…",
    ],
    "barriers": [
        "What did I learn growing up about crying, and who taught me?",
        "When I hold feelings back, what am I afraid would happen if I didn't?",
        "Which old story about strength would I like to rewrite, and how?",
    ],
    "gratitude": [
        "What small thing steadied me today?",
        "Who or what has made it a little easier to feel what I feel?",
        "What is one thing my body did for me this week?",
    ],
}

PROMPTS = [
    Prompt(f"{theme}-{number}", theme, text)
    for theme, texts in _PROMPT_TEXTS.items()
    for number, text in enumerate(texts, start=1)
]
PROMPTS_BY_ID = {prompt.id: prompt for prompt in PROMPTS}


def prompts_by_theme() -> list[tuple[str, str, str, list[Prompt]]]:
    """(theme id, title, description, prompts) in the order the library shows them."""
    return [
        (theme, title, about, [p for p in PROMPTS if p.theme == theme])
        for theme, (title, about) in THEMES.items()
    ]


def prompt_text(prompt_id: str | None) -> str | None:
    """The words of a prompt, or None for no or unknown prompt."""
    prompt = PROMPTS_BY_ID.get(prompt_id or "")
    return prompt.text if prompt else None
