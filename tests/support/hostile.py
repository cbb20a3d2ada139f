"""Hypothesis strategies for hostile JSON payloads, shared by every socket fuzz test."""

from __future__ import annotations

from hypothesis import strategies as st

edge_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", " ", "\x00", "\ud800", "\u202e", "🙂" * 20, "a\u0301", "\r\n", "x" * 70_000, "<b>"]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2, 3, -1, 2**31, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    edge_text,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def near_misses(keys: list[str], max_size: int = 6):
    """Objects with the known keys but hostile values: they reach deeper code paths."""
    return st.dictionaries(st.sampled_from(keys), json_values, max_size=max_size)
