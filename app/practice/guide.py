"""The words and settings of a solo practice: intentions, breathing presets, cues, outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from app.journal.prompts import PROMPTS_BY_ID


@dataclass(frozen=True)
class BreathPreset:
    """Seconds in, held and out; the out-breath is always the longest."""

    id: str
    inhale: int
    hold: int
    exhale: int
    note: str

    @property
    def label(self) -> str:
        """How the preset reads in a list."""
        held = f", hold {self.hold}" if self.hold else ""
        return f"In {self.inhale}{held}, out {self.exhale} — {self.note}"


PRESETS = [
    BreathPreset("4-2-6", 4, 2, 6, "a gentle place to begin"),
    BreathPreset("4-0-8", 4, 0, 8, "a long, soothing out-breath"),
    BreathPreset("5-2-7", 5, 2, 7, "slower and deeper"),
]
PRESETS_BY_ID = {preset.id: preset for preset in PRESETS}
DEFAULT_PRESET = PRESETS[0].id

INTENTIONS = [
    ("permission", "I give myself permission to feel whatever arises."),
    ("kindness", "I'll meet what comes up with the kindness I'd offer a friend."),
    ("no-fixing", "I don't need to fix anything right now. I only need to be here."),
    ("let-it-pass", "I'll let this wave move through me, and trust that it will pass."),
]
INTENTIONS_BY_ID = dict(INTENTIONS)

# Quiet words shown one at a time during the release, every few minutes; never a sound.
RELEASE_CUES = [
    "Nothing here needs to be done well. Let it move as it wants to.",
    "Notice where you feel it in your body. You don't have to change it.",
    "If tears come, let them. If they don't, that's all right too.",
    "Feel the ground under you. You are here, and you are safe enough.",
    "Breathe out a little longer than you breathe in.",
    "There's no need to apologise to anyone for what you feel.",
]
CUE_EVERY_SECONDS = 180

EASED = [("lighter", "Lighter"), ("calmer", "Calmer"), ("grounded", "Grounded")]
HARD = [("worse", "Worse"), ("panicky", "Panicky"), ("numb", "Numb")]
OUTCOMES = dict(EASED + HARD)
HARD_OUTCOMES = {key for key, _ in HARD}

# Words for how one arrives, all from the journal's own feeling list.
BEFORE_FEELINGS = [
    (word, word.capitalize())
    for word in ("heavy", "raw", "restless", "tired", "tender", "numb", "lonely", "overwhelmed")
]
BEFORE_BY_ID = dict(BEFORE_FEELINGS)

CATALYST_PROMPT_IDS = ["before-1", "before-2", "barriers-1", "compassion-1", "after-1", "after-2"]
CATALYST_PROMPTS = [PROMPTS_BY_ID[pid] for pid in CATALYST_PROMPT_IDS if pid in PROMPTS_BY_ID]

CATALYST_ARTICLES = [
    ("a-release-session-step-by-step", "A release session, step by step"),
    ("breathing-with-a-longer-out-breath", "Breathing with a longer out-breath"),
    ("healing-tears-and-when-its-too-much", "Healing tears, and when it's too much"),
]
SUPPORT_ARTICLE = "when-to-reach-for-more-support"
