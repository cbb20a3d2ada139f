"""`make model` is reproducible, and the committed model is the one the data builds."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.safety import training
from app.safety.corpus import load_training
from app.safety.model import MODEL_PATH, Model
from app.safety.risk import assess_with


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The model built twice from the repository's data, written as `make model` writes it."""
    folder = tmp_path_factory.mktemp("model")
    digests = []
    for name in ("a.json", "b.json"):
        digests.append(training.write(training.build(), folder / name))
    return folder, digests


@pytest.mark.slow
def test_building_twice_gives_the_same_bytes(built):
    folder, (first, second) = built
    assert first == second
    assert (folder / "a.json").read_bytes() == (folder / "b.json").read_bytes()


@pytest.mark.slow
def test_the_committed_model_is_current(built):
    folder, _ = built
    committed = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    fresh = hashlib.sha256((folder / "a.json").read_bytes()).hexdigest()
    assert committed == fresh, "the data or the features changed: run `make model` and commit"


@pytest.mark.slow
def test_the_server_scores_what_scikit_learn_scores(built):
    folder, _ = built
    model = Model(json.loads((folder / "a.json").read_text(encoding="utf-8")))
    vectorizer, heads = training.fit(load_training())
    texts = ["i want 2 die", "my tea went cold", "i have pills saved up || tonight's the night"]
    expected = heads["risk"].decision_function(vectorizer.transform(texts))
    for text, value in zip(texts, expected, strict=True):
        assert model.decisions(text)[0] == pytest.approx(value, abs=1e-3)


def test_the_version_changes_with_the_data():
    examples = load_training()[:50]
    assert training.data_version(examples) != training.data_version(examples[:-1])
    assert assess_with(None, "i want to kill myself").is_risk  # the rules alone still work
