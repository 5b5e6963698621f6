"""The event coder: PLOVER events from the dependency parse, driven by a trigger lexicon.

Contract: ``load_lexicon(extra_files) -> Lexicon``; ``extract(ctx) -> list[Event]``;
``extract_rules(ctx)`` for the rule coder alone (``extract`` uses the trained model when the
resources hold one); ``code_sentence(ctx, lexicon, sent)`` for one sentence; ``plover_types()`` for the PLOVER
type list of ``data/plover.yaml``.

How a sentence is coded (the data lives in ``data/plover.yaml`` and ``data/lexicon/*.yaml``;
the format is documented in ``docs/lexicon.md``), module by module:

- ``lexicon``: the data model (``Lexicon``, ``TriggerEntry``, ``TypeInfo``, ``Cues``,
  ``Intent``) and its loader; no spaCy, no ``DocContext``.
- ``triggers``: every token whose lemma is in the lexicon is checked against that lemma's
  entries, most specific first; nominal triggers only as the object of a support verb, the
  subject of an eventive verb or with the entry's preposition; photo captions are skipped.
- ``modality``: governance (a trigger inside the object/complement of another trigger is
  part of that event: "threatened to ban"), conditions, speech verbs (never events),
  negation ("failed to") and modality (future, intended, hypothetical, alleged, question).
- ``arguments``: the actor (subject, ``by`` agent, inherited controller, object control)
  and the recipient (the entry's ordered argument paths), resolved by ``ctx.actors``.
- ``coder``: the steps in order for one sentence, attribution (quotes, speech verbs), the
  PLOVER/CAMEO ``intent`` rule (announced cooperative actions are AGREE, conflictual ones
  THREATEN), ``historical`` modality, confidence and the ``Event`` record.
- ``document``: ``extract(ctx)`` over a document body, a repeated headline excluded.
- ``syntax``: small reads of the parse shared by the others.
"""

from __future__ import annotations

from .coder import EXTRACTOR, HISTORICAL_DAYS, code_sentence
from .document import extract, extract_rules
from .lexicon import Cues, Intent, Lexicon, TriggerEntry, TypeInfo, load_lexicon, plover_types

__all__ = [
    "EXTRACTOR",
    "HISTORICAL_DAYS",
    "Cues",
    "Intent",
    "Lexicon",
    "TriggerEntry",
    "TypeInfo",
    "code_sentence",
    "extract",
    "extract_rules",
    "load_lexicon",
    "plover_types",
]
