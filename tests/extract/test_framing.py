"""Framing markers on the real spaCy model: hedges with their claim, labels with their actor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dragoman.errors import DataFileError
from dragoman.extract import DocContext, framing
from dragoman.extract import actors as actors_mod
from dragoman.extract.framing import load_framing, read_framing_file
from dragoman.types import Frame

SEED_PART = (
    "Moscow, SANA-In a press conference with Saudi regime’s foreign Minister Adel al-Jubeir "
    "in Moscow, Lavrov renewed his country’s call for a full and objective investigation by "
    "the Organization for the Prohibition of Chemical Weapons (OPCW) through a balanced "
    "mechanism to identify those responsible for the alleged chemical attack in Khan "
    "Sheikhoun in Idleb countryside.\n"
    "In response to a question about the dispute between Russia and the Saudi regime over "
    "the crisis in Syria, Lavrov spoke at length."
)


def _run(make_ctx: Callable[..., DocContext], text: str) -> list[Frame]:
    ctx = make_ctx(text)
    ctx.actors = actors_mod.resolve(ctx)
    return framing.extract(ctx)


@pytest.fixture(scope="module")
def seed(make_ctx: Callable[..., DocContext]) -> list[Frame]:
    return _run(make_ctx, SEED_PART)


def test_seed_alleged_chemical_attack_is_a_hedge(seed: list[Frame]) -> None:
    hedges = [f for f in seed if f.kind == "hedge"]
    assert len(hedges) == 1
    h = hedges[0]
    assert h.text == "alleged" and h.category == "alleged"
    assert SEED_PART[h.start:h.end] == "alleged"
    assert h.target is not None and h.target.text == "alleged chemical attack"
    assert SEED_PART[h.target.start:h.target.end] == h.target.text


def test_seed_saudi_regime_is_a_label_applied_to_the_saudi_government(
    seed: list[Frame],
) -> None:
    labels = [f for f in seed if f.kind == "label" and f.category == "regime"]
    assert len(labels) == 2
    for lab in labels:
        assert lab.text == "regime"
        ref = lab.applies_to
        assert ref is not None
        assert "Saudi" in ref.text or ref.country == "SAU"
        assert SEED_PART[ref.start:ref.end] == ref.text
        if ref.country is not None:  # resolved by the actor resolver: never a wrong guess
            assert (ref.country, ref.sector) == ("SAU", "GOV")


@pytest.mark.parametrize(
    ("text", "hedge", "target"),
    [
        ("The militia reportedly killed six civilians near the border.", "reportedly",
         "militia reportedly killed six civilians near the border"),
        ("The so-called peace plan was rejected.", "so-called", "so-called peace plan"),
        ("Officials discussed the purported deal with the rebels.", "purported",
         "purported deal"),
        ("Forty people died in the strike, according to activists.", "according to",
         "Forty people died in the strike"),
        ("The group claimed that its drones hit the airport.", "claimed",
         "its drones hit the airport"),
    ],
)
def test_hedges_and_their_claims(
    make_ctx: Callable[..., DocContext], text: str, hedge: str, target: str
) -> None:
    frames = [f for f in _run(make_ctx, text) if f.kind == "hedge"]
    assert [f.text for f in frames] == [hedge]
    assert frames[0].target is not None
    assert target in frames[0].target.text or frames[0].target.text in target
    assert frames[0].target.text.startswith(target.split()[0])


def test_plain_reporting_verb_is_no_hedge(make_ctx: Callable[..., DocContext]) -> None:
    frames = _run(make_ctx, "The newspaper reported that the talks had ended.")
    assert [f for f in frames if f.kind == "hedge"] == []


@pytest.mark.parametrize(
    ("text", "label", "category", "actor_word"),
    [
        ("The terrorists attacked a checkpoint near Aleppo.", "terrorists", "terrorist",
         "terrorists"),
        ("Militants seized the village on Sunday.", "Militants", "militant", "Militants"),
        ("The army shelled positions held by terrorist organizations.", "terrorist",
         "terrorist", "organizations"),
        ("The occupation forces closed the crossing.", "occupation", "occupation", "forces"),
    ],
)
def test_labels_and_what_they_label(
    make_ctx: Callable[..., DocContext], text: str, label: str, category: str, actor_word: str
) -> None:
    frames = [f for f in _run(make_ctx, text) if f.kind == "label"]
    assert [f.text for f in frames] == [label]
    f = frames[0]
    assert f.category == category
    assert f.applies_to is not None and actor_word in f.applies_to.text


def test_user_file_adds_labels(tmp_path: Path, make_ctx: Callable[..., DocContext]) -> None:
    user = tmp_path / "framing.yaml"
    user.write_text("labels:\n  - {text: [bandits, bandit], category: bandit}\n",
                    encoding="utf-8")
    lex = load_framing([user])
    assert "bandit" in {m.category for m in lex.markers}
    text = "Bandits raided the convoy."
    assert [c for _, _, c in ((s, e, m.category) for s, e, m in lex.find(text, "label"))] == [
        "bandit"
    ]
    assert load_framing().find(text, "label") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("hedges:\n  - {text: alleged}\n  - {category: x}\n", "framing.yaml:3"),
        ("labels:\n  - {text: [], category: x}\n", "needs 'text'"),
        ("labels:\n  - {text: regime, category: ''}\n", "category"),
        ("labels:\n  - {text: regime, colour: red}\n", "unknown key"),
        ("labels: regime\n", "must be a list"),
        ("words:\n  - regime\n", "unknown top-level"),
        ("hedges:\n  - alleged\n", "must be a mapping"),
    ],
)
def test_framing_validation_errors(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "framing.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as info:
        read_framing_file(path)
    assert str(path) in str(info.value)
