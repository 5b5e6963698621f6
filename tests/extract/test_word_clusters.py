"""Word classes for the type features: the table's shape, its errors, the packaged table,
the features that name classes, how the table is built, and the model's check."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from dragoman import Config, Pipeline
from dragoman.errors import DataFileError
from dragoman.extract.events.clusters import load_word_clusters, parse_word_clusters
from dragoman.extract.events.features import trigger_features
from dragoman.extract.events.model import default_model_path
from dragoman.extract.resources import Resources
from dragoman.train.clusters import build_table, write_table

TABLE = "# a comment\nword\tc2\tc3\nlend\t0\t2\nloan\t0\t2\nbomb\t1\t0\n"


def test_a_table_gives_each_word_its_class_in_every_clustering() -> None:
    wc = parse_word_clusters(TABLE, "t.tsv")
    assert wc.sizes == (2, 3)
    assert wc.of("lend") == ("2=0", "3=2") == wc.of("Loan")
    assert wc.of("bomb") == ("2=1", "3=0")
    assert wc.of("unheard-of-word") == ()
    assert len(wc) == 3
    assert wc.digest != parse_word_clusters(TABLE.replace("bomb\t1", "bomb\t0"), "t").digest


@pytest.mark.parametrize("text, where, what", [
    ("word\tc2\nlend\t2\n", "t.tsv:2", "not a number from 0 to 1"),
    ("word\tc2\nlend\tx\n", "t.tsv:2", "not a number from 0 to 1"),
    ("word\tc2\tc3\nlend\t1\n", "t.tsv:2", "2 tab-separated fields, the header has 3"),
    ("word\tc2\nLend\t1\n", "t.tsv:2", "lower case"),
    ("word\tc2\nlend\t1\nlend\t0\n", "t.tsv:3", "listed twice"),
    ("token\tc2\nlend\t1\n", "t.tsv:1", "the header must be"),
    ("word\tclasses\nlend\t1\n", "t.tsv:1", "the header must be"),
    ("# only a comment\n", "t.tsv", "empty word-cluster file"),
])
def test_a_malformed_table_is_an_error_naming_its_line(text: str, where: str, what: str) -> None:
    with pytest.raises(DataFileError) as err:
        parse_word_clusters(text, "t.tsv")
    assert str(err.value).startswith(where + ":") and what in str(err.value)


def test_the_packaged_table_puts_words_of_one_use_together() -> None:
    wc = load_word_clusters()
    assert wc.sizes == (50, 200, 1000) and len(wc) >= 40_000
    # places with places, killing with killing; the finest classes keep them apart
    assert wc.of("town")[2] == wc.of("village")[2]
    assert wc.of("killed")[1] == wc.of("wounded")[1]
    assert wc.of("town")[0] != wc.of("killed")[0]


def test_type_features_name_classes_of_the_trigger_and_its_context(pipeline: Pipeline) -> None:
    lex = pipeline.resources.lexicon
    doc = pipeline.nlp("Australia lent money to Indonesia after the floods.")
    tok = next(t for t in doc if t.text == "lent")
    plain = trigger_features(tok, (), None, None, False, False, False, cues=lex.cues)
    feats = trigger_features(tok, (), None, None, False, False, False, cues=lex.cues,
                             clusters=lex.clusters)
    added = set(feats) - set(plain)
    assert {"ct" + s for s in lex.clusters.of("lend")} <= added
    assert {"ck" + s for s in lex.clusters.of("money")} <= added  # its object
    assert {"cw" + s for s in lex.clusters.of("to")} <= added  # a word beside it
    assert all(feats[k] == 0.3 for k in added if k.startswith("cs"))
    # "flood" is context (0.3); the trigger itself is not its own sentence context
    assert {"cs" + s for s in lex.clusters.of("flood")} <= added
    alone = pipeline.nlp("They lent it.")
    feats = trigger_features(alone[1], (), None, None, False, False, False, cues=lex.cues,
                             clusters=lex.clusters)
    assert {"ct" + s for s in lex.clusters.of("lend")} <= set(feats)
    assert not any(k.startswith("cs") for k in feats)
    unknown = trigger_features(pipeline.nlp("They qwzxv it.")[1], (), None, None, False,
                               False, False, cues=lex.cues, clusters=lex.clusters)
    assert unknown["ct=none"] == 1.0


def test_the_table_is_built_from_vectors_by_direction() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=8), rng.normal(size=8)
    words = ["the", ",", "1990", "lend", "loan", "grant", "bomb", "shell", "shoot", "cease-fire"]
    vecs = np.stack([rng.normal(size=8), a, a, a, 3 * a, 0.5 * a, b, 2 * b, 4 * b, b])
    chosen, classes = build_table(words, vecs, sizes=(2,), limit=9, seed=0)
    assert chosen == ["the", "lend", "loan", "grant", "bomb", "shell", "shoot", "cease-fire"]
    col = dict(zip(chosen, classes[:, 0].tolist(), strict=True))
    assert col["lend"] == col["loan"] == col["grant"]  # one direction, any length
    assert col["bomb"] == col["shell"] == col["shoot"] == col["cease-fire"] != col["lend"]
    again = build_table(words, vecs, sizes=(2,), limit=9, seed=0)
    assert again[0] == chosen and (again[1] == classes).all()


def test_a_written_table_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "wc.tsv"
    write_table(out, ["lend", "bomb"], np.array([[0, 4], [1, 2]]), sizes=(2, 5))
    wc = load_word_clusters(out)
    assert wc.sizes == (2, 5) and wc.of("bomb") == ("2=1", "5=2")


def test_a_model_trained_with_other_classes_is_reported(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "model"
    shutil.copytree(default_model_path(), folder)
    meta = json.loads((folder / "model.json").read_text())
    assert meta["meta"]["word_clusters"] == load_word_clusters().digest  # the shipped one
    meta["meta"]["word_clusters"] = "0" * 64
    (folder / "model.json").write_text(json.dumps(meta))
    with caplog.at_level(logging.WARNING):
        Resources.load(Config(event_model=str(folder)))
    assert "trained with other word classes" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        Resources.load(Config(event_model=str(default_model_path())))
    assert "word classes" not in caplog.text
