"""The array versions of spaCy's attribute ruler and rule lemmatizer give spaCy's output."""

from __future__ import annotations

import pytest
import spacy

from dragoman.config import Config
from dragoman.nlp.fast import ArrayAttributeRuler, CachedLemmatizer, speed_up

#: texts that reach the ruler's rarer patterns: two-token lemma rules with an index,
#: regex tests, whitespace tokens, pronoun case by dependency, "there is"
_EDGE = [
    "", "   ", "gon na do it , y' all .", "I ai n't going .\n\n  Let 's go, c'm on.",
    "It is what it is. You got ta see it, and he gets it. I told you it was his.",
    "There are 12 dead.\tThere's no end. But what, if anything, did they do? Which did?",
]




def _columns(doc):  # type: ignore[no-untyped-def]
    return [(t.pos, t.tag, t.dep, t.lemma, t.morph.key, t.head.i, t.ent_iob, t.ent_type)
            for t in doc]


@pytest.fixture(scope="module")
def pair():  # type: ignore[no-untyped-def]
    model = Config().model
    plain = spacy.load(model)
    fast = spacy.load(model)
    return plain, fast, speed_up(fast)


def test_speed_up_swaps_both_components_under_their_own_names(pair) -> None:  # type: ignore[no-untyped-def]
    plain, fast, swapped = pair
    assert swapped == ["attribute_ruler", "lemmatizer"]
    assert fast.pipe_names == plain.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler"), ArrayAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), CachedLemmatizer)


@pytest.mark.parametrize("batch_size", [7, 256])
def test_the_array_components_give_spacys_output_token_for_token(pair, batch_size, article_texts) -> None:  # type: ignore[no-untyped-def]
    plain, fast, _ = pair
    texts = article_texts(0, 40) + _EDGE
    want = [_columns(d) for d in plain.pipe(texts, batch_size=batch_size)]
    got = [_columns(d) for d in fast.pipe(texts, batch_size=batch_size)]
    assert sum(map(len, want)) > 2000
    diff = [(i, j) for i, (w, g) in enumerate(zip(want, got, strict=True))
            for j, (a, b) in enumerate(zip(w, g, strict=True)) if a != b]
    assert not diff
    # one document at a time (``nlp(text)``) takes the same path
    assert _columns(fast(_EDGE[3])) == _columns(plain(_EDGE[3]))


def test_a_pattern_of_an_unsupported_kind_keeps_spacys_ruler() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "big"}, {"LOWER": "apple", "OP": "+"}]], {"POS": "PROPN"})
    assert speed_up(nlp) == []
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    # an attribute the array ruler does not write (NORM): spaCy's ruler too, not a failure
    # in the middle of a run
    other = spacy.blank("en")
    other.add_pipe("attribute_ruler").add([[{"LOWER": "usa"}]], {"NORM": "us"})
    assert speed_up(other) == []
    assert [t.norm_ for t in other("the usa said")] == ["the", "us", "said"]


def test_a_ruler_of_our_own_matches_spacys_on_multi_token_and_negative_index() -> None:
    texts = ["the big apple is big", "big apple big apple", "apple big", "big"]
    pats = [([[{"LOWER": "big"}, {"LOWER": "apple"}]], {"POS": "PROPN"}, -1),
            ([[{"LOWER": {"IN": ["big", "apple"]}}]], {"LEMMA": "fruit"}, 0),
            ([[{"LOWER": {"REGEX": "^ap+le$"}}]], {"POS": "NOUN"}, 0),
            ([[{"LOWER": {"NOT_IN": ["the", "is"]}}, {"LOWER": "apple"}]], {"POS": "ADJ"}, 0)]
    made = []
    for _ in range(2):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        for patterns, attrs, index in pats:
            ruler.add(patterns, attrs, index=index)
        made.append(nlp)
    assert speed_up(made[1]) == ["attribute_ruler"]
    for text in texts:
        a, b = made[0](text), made[1](text)
        assert [(t.pos_, t.lemma_) for t in a] == [(t.pos_, t.lemma_) for t in b], text


def test_lemmas_stay_readable_across_spacys_memory_zones(pair) -> None:  # type: ignore[no-untyped-def]
    plain, fast, _ = pair
    # a rare word's lemma is first seen in one zone; its strings go when the zone closes
    first, second = "The zorblaxes were zorblaxing.", "Two zorblaxes kept zorblaxing."
    with fast.memory_zone():
        list(fast.pipe([first]))
    with fast.memory_zone():
        got = [t.lemma_ for t in fast(second)]
    with plain.memory_zone():
        want = [t.lemma_ for t in plain(second)]
    assert got == want


def test_the_lemma_cache_is_bounded_and_answers_the_same_after_emptying(pair) -> None:  # type: ignore[no-untyped-def]
    plain, fast, _ = pair
    lem = fast.get_pipe("lemmatizer")
    saved = lem.max_cache
    lem.max_cache = 5
    try:
        text = "Troops shelled towns; rebels were fleeing the shelled villages and burning cars."
        got = [t.lemma_ for t in fast(text)]
        assert len(lem.cache) <= 5
    finally:
        lem.max_cache = saved
    assert got == [t.lemma_ for t in plain(text)]
