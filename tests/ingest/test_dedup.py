"""Exact and near-duplicate detection: syndicated copies found, different stories not."""

from __future__ import annotations

import pytest

from dragoman.ingest import DuplicateMatch, NearDuplicateIndex, article_id, content_hash
from dragoman.ingest.dedup import jaccard, normalize_for_hash

ORIGINAL = """BEIJING, May 3 (Xinhua) -- China will provide emergency humanitarian assistance to Sudan, including food, tents and medical supplies, to help civilians affected by the fighting, a Foreign Ministry spokesperson said on Wednesday.
Spokesperson Zhao Mei told a regular press briefing that the first batch of supplies would be delivered through Port Sudan in cooperation with the Sudanese Red Crescent and United Nations agencies.
"China is deeply concerned about the humanitarian situation in Sudan and calls on all parties to cease fire as soon as possible and return to dialogue," Zhao said.
She added that China had evacuated more than 1,300 of its citizens from the country last week with the help of Saudi Arabia, Egypt and Djibouti, and thanked those countries.
China stands ready to work with the international community to play a constructive role in easing the crisis, Zhao said."""

# syndicated copy: other dateline, last paragraph cut, a republication note added
COPY = """BEIJING — China will provide emergency humanitarian assistance to Sudan, including food, tents and medical supplies, to help civilians affected by the fighting, a Foreign Ministry spokesperson said on Wednesday.
Spokesperson Zhao Mei told a regular press briefing that the first batch of supplies would be delivered through Port Sudan in cooperation with the Sudanese Red Crescent and United Nations agencies.
“China is deeply concerned about the humanitarian situation in Sudan and calls on all parties to cease fire as soon as possible and return to dialogue,” Zhao said.
She added that China had evacuated more than 1,300 of its citizens from the country last week with the help of Saudi Arabia, Egypt and Djibouti, and thanked those countries.
This article was republished under a content-sharing agreement."""

# a different story on the same topic, same place, overlapping vocabulary
SAME_TOPIC = """KHARTOUM, May 4 (Reuters) - Fighting between Sudan's army and the paramilitary Rapid Support Forces raged in Khartoum on Thursday despite a ceasefire, residents said, as aid agencies warned of shortages of food and medical supplies.
The World Health Organization said hospitals in the capital were running out of fuel, and the U.N. refugee agency said more than 100,000 people had fled to Egypt and Chad.
Saudi Arabia and the United States have urged the warring parties to return to dialogue and to respect the humanitarian truce.
China, which evacuated its citizens last week, said it was deeply concerned about the situation."""

OTHER = """BAGHDAD (AP) — Thousands of protesters rallied in central Baghdad on Friday to demand jobs and an end to daily power cuts, and security forces fired tear gas to stop them from crossing a bridge toward the Green Zone, officials said."""


def test_content_hash_ignores_case_space_quote_and_dash_forms() -> None:
    a = "He said “we will ‘never’ accept this” – twice."
    b = '  he said "we will \'never\' accept this"  -  twice. '
    assert normalize_for_hash(a) != normalize_for_hash("he said we will never accept this")
    assert content_hash(a) == content_hash(b.replace("  -  ", " - "))
    assert content_hash(a) != content_hash(a + " Again.")
    assert len(content_hash(a)) == 64
    assert article_id(a) == "doc-" + content_hash(a)[:16]


def test_similarities_separate_copies_from_same_topic() -> None:
    assert jaccard(ORIGINAL, COPY) > 0.6
    assert jaccard(ORIGINAL, SAME_TOPIC) < 0.1
    assert jaccard(COPY, OTHER) < 0.05


def test_index_finds_exact_and_near_copies() -> None:
    index = NearDuplicateIndex()
    index.add("orig", ORIGINAL)
    index.add("other", OTHER)
    assert len(index) == 2
    exact = index.match(ORIGINAL.upper().replace("\n", "  "))
    assert exact == DuplicateMatch("orig", "exact", 1.0)
    near = index.match(COPY)
    assert near is not None and near.doc_id == "orig" and near.kind == "near"
    assert near.similarity >= index.threshold
    assert index.find(COPY) == "orig"


def test_index_does_not_match_a_different_story_on_the_same_topic() -> None:
    index = NearDuplicateIndex()
    index.add("orig", ORIGINAL)
    assert index.find(SAME_TOPIC) is None
    assert index.find(OTHER) is None
    assert index.find("") is None


def test_check_and_add_keeps_first_seen() -> None:
    index = NearDuplicateIndex()
    assert index.check_and_add("a", ORIGINAL) is None
    found = index.check_and_add("b", COPY)
    assert found is not None and found.doc_id == "a"
    assert index.check_and_add("c", SAME_TOPIC) is None
    assert len(index) == 2  # the copy was not added


def test_estimate_tracks_exact_jaccard() -> None:
    index = NearDuplicateIndex()
    sa, sb = index.signature(ORIGINAL), index.signature(COPY)
    assert sa is not None and sb is not None
    estimate = float((sa == sb).mean())
    assert abs(estimate - jaccard(ORIGINAL, COPY)) < 0.15


def test_signatures_are_deterministic_across_instances() -> None:
    a = NearDuplicateIndex().signature(ORIGINAL)
    b = NearDuplicateIndex().signature(ORIGINAL)
    assert a is not None and b is not None and (a == b).all()


def test_many_documents_candidate_lookup() -> None:
    index = NearDuplicateIndex()
    for i in range(300):
        index.add(f"d{i}", f"Report number {i}: " + " ".join(f"w{i}x{j}" for j in range(60)))
    index.add("orig", ORIGINAL)
    assert index.find(COPY) == "orig"
    assert index.find("Report number 7: " + " ".join(f"w7x{j}" for j in range(55))) == "d7"


@pytest.mark.parametrize("kwargs", [{"threshold": 0.0}, {"threshold": 1.5}, {"num_perm": 100}])
def test_invalid_parameters(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        NearDuplicateIndex(**kwargs)  # type: ignore[arg-type]
