"""The local engine: a process pool gives the same results, in the same order, as one process."""

from __future__ import annotations

from dragoman import Article, Config
from dragoman.engines.local import LocalEngine

TEXTS = [
    "Russian Foreign Minister Sergey Lavrov met his Turkish counterpart in Ankara on Monday.",
    "Israeli aircraft struck targets near Damascus airport on Tuesday, the Syrian army said.",
    ("The United States imposed new sanctions on Iranian banks, accusing Tehran of financing "
    "militant groups in Yemen."),
    ("Protesters gathered outside the parliament in Kiev on Sunday to demand the resignation "
    "of the prime minister."),
    ("China rejected the ruling of the arbitration tribunal in The Hague, calling it null and "
    "void."),
    "Egypt sent humanitarian aid to Gaza through the Rafah crossing on Saturday.",
    ("The Saudi-led coalition agreed to a 72-hour ceasefire in Yemen, the United Nations envoy "
    "announced in Riyadh."),
]


def articles() -> list[Article]:
    return [Article(id=f"local-{i}", text=t, published="2017-04-12") for i, t in enumerate(TEXTS)]


def test_two_workers_same_results_as_one() -> None:
    config = Config(batch_size=2)  # several chunks per worker
    one = list(LocalEngine(1).run(articles(), config, "r"))
    two = list(LocalEngine(2).run(iter(articles()), config, "r"))
    assert [r.document.doc_id for r in two] == [a.id for a in articles()]
    assert sum(len(r.events) + len(r.places) + len(r.actors) for r in one) > 0
    assert one == two
