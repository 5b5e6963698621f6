"""The unit of work: ``Iterator[Article] → Iterator[Result]``.

``Pipeline`` holds what is loaded once per process (the spaCy pipeline and the extractors'
data) and turns articles into results. Engines (local, Ray) only decide where it runs.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .config import Config
from .extract import DocContext, Extracted, Resources, extract_document
from .extract.casing import CaseRestorer, case_of, original_spans
from .ingest import content_hash, split_dateline
from .ingest.boilerplate import days_apart, find_boilerplate, header_date
from .nlp import load_nlp, model_info
from .nlp.matmul import one_blas_thread
from .types import Article, Document, Result

__all__ = [
    "EXTRACTOR_VERSION", "Pipeline", "dated_article", "dates_disagree", "make_document",
    "split_parts",
]

#: a header date this many days or more from the input's ``published`` disagrees with it
_DISAGREE_DAYS = 3
_HEADER_KINDS = frozenset({"publication", "updated", "header_date"})
#: the cyclic garbage collector's first-generation threshold while a pipeline is loaded:
#: parsing and extraction make and drop many small objects per token, and at Python's
#: default (700) a collection ran every few hundred of them (~7 % of the extraction time
#: on FA-KES; 0.6 → 0.1 s per 300 articles). Same records; a higher setting is kept.
_GC_GEN0 = 7000

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "dragoman/1"


def make_document(
    article: Article, run_id: str, duplicate_of: str | None = None,
    duplicate_kind: str | None = None,
) -> Document:
    """The document record of an article (dateline split, content hash, metadata, and the
    date the text's own header gives: ``text_published``)."""
    items = find_boilerplate(article.text)
    found = header_date(items)
    # a header line opening the text ("This story is from March 10, 2002") is not the body;
    # the dateline is read after it
    lead = len(article.text) - len(article.text.lstrip())
    start = next((b.span.end for b in items if b.span.start == lead and b.value is not None
                  and b.kind in _HEADER_KINDS), 0)
    return Document(
        doc_id=article.id,
        text=article.text,
        title=article.title,
        published=article.published or (found.value if found is not None else None),
        source=article.source,
        url=article.url,
        content_hash=content_hash(article.text),
        dateline=split_dateline(article.text, start=start),
        duplicate_of=duplicate_of,
        duplicate_kind=duplicate_kind if duplicate_of else None,
        meta_json=json.dumps(article.meta, ensure_ascii=False, sort_keys=True, default=str),
        origin=article.origin,
        run_id=run_id,
        text_published=found.value if found is not None else None,
    )


def dates_disagree(document: Document) -> bool:
    """Whether the text's header date and the input's ``published`` are more than two days
    apart (the run counts these documents)."""
    apart = days_apart(document.published, document.text_published)
    return apart is not None and apart >= _DISAGREE_DAYS


def dated_article(article: Article, document: Document, choice: str = "input") -> Article:
    """The article with the publication date its extraction resolves against: the input's
    ``published`` (``choice="input"``) or the text's header date (``"text"``) when the two
    are more than two days apart; whichever exists when the other is missing."""
    text_date = document.text_published
    if text_date is None:
        return article
    apart = days_apart(article.published, text_date)
    if article.published is None or apart is None or (
            choice == "text" and apart >= _DISAGREE_DAYS):
        return dataclasses.replace(article, published=text_date)
    return article


_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ", " ")


def split_parts(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into parts of at most ``max_chars`` characters.

    Each cut falls after the last paragraph break in the window, else the last sentence end,
    else the last space (a hard cut only for text without any). Parts are contiguous, so
    offsets into the original text stay exact.
    """
    if max_chars <= 0 or end - start <= max_chars:
        return [(start, end)]
    parts: list[tuple[int, int]] = []
    pos = start
    while end - pos > max_chars:
        window_end = pos + max_chars
        cut = -1
        for sep in _BREAKS:
            i = text.rfind(sep, pos + max_chars // 2, window_end)
            if i >= 0:
                cut = i + len(sep)
                break
        if cut <= pos:
            cut = window_end
        parts.append((pos, cut))
        pos = cut
    parts.append((pos, end))
    return parts


@dataclass(frozen=True)
class _Restored:
    """The context of a text parsed with its case restored, and its original text."""

    text: str
    context: Any


class Pipeline:
    """spaCy + dragoman's extractors, built once, applied to a stream of articles."""

    def __init__(self, config: Config | None = None, run_id: str = "") -> None:
        self.config = config or Config()
        self.run_id = run_id
        self.nlp = load_nlp(self.config.model)
        self.resources = Resources.load(self.config)
        self._restorer: CaseRestorer | None = None  # built on the first text that needs it
        gen0, *older = gc.get_threshold()
        if 0 < gen0 < _GC_GEN0:  # (0: collection switched off; a higher one is kept)
            gc.set_threshold(_GC_GEN0, *older)

    def info(self) -> dict[str, Any]:
        return {**model_info(self.nlp), "extractor": EXTRACTOR_VERSION}

    def process(self, articles: Iterable[Article]) -> Iterator[Result]:
        """Results for each article, in input order.

        Articles are parsed with ``nlp.pipe`` in chunks; each chunk runs inside spaCy's
        ``memory_zone`` so a long run does not grow the string store. Results hold only
        plain Python data, never spaCy objects, so nothing outlives the zone.
        """
        chunk_size = max(1, self.config.batch_size) * 4
        it = iter(articles)
        while chunk := list(islice(it, chunk_size)):
            with self.nlp.memory_zone():
                yield from self._process_chunk(chunk)

    def _process_chunk(self, chunk: list[Article]) -> Iterator[Result]:
        items: list[tuple[str, tuple[int, int, int]]] = []
        documents: list[tuple[Article, Document, int]] = []
        for n, article in enumerate(chunk):
            document = make_document(article, self.run_id)
            assert document.dateline is not None
            body = document.dateline.body
            parts = split_parts(article.text, body.start, body.end, self.config.max_chars)
            if len(parts) > 1:  # (the runner reports it to the user; this is for the log)
                log.info("article %s: %d characters, parsed in %d parts",
                            article.id, body.end - body.start, len(parts))
            documents.append((article, document, len(parts)))
            items += [(article.text[a:b], (n, i, a)) for i, (a, b) in enumerate(parts)]
        pending: list[Extracted] = []
        sent_base = 0
        for doc, (n, part, base) in self.parse(items):
            article, document, n_parts = documents[n]
            assert document.dateline is not None
            if part == 0:
                pending, sent_base = [], 0
            ctx = DocContext(
                doc_id=document.doc_id,
                run_id=self.run_id,
                article=dated_article(article, document, self.config.publication_date),
                dateline=document.dateline,
                doc=doc,
                base=base,
                resources=self.resources,
                sent_base=sent_base,
            )
            extracted = extract_document(ctx)
            if doc.user_data.get("dragoman_restored"):
                extracted = original_spans(extracted, article.text)
            pending.append(extracted)
            sent_base += ctx.sentence_count
            if part == n_parts - 1:
                yield Result(
                    document=document,
                    events=tuple(x for p in pending for x in p.events),
                    quotes=tuple(x for p in pending for x in p.quotes),
                    places=tuple(x for p in pending for x in p.places),
                    dates=tuple(x for p in pending for x in p.dates),
                    actors=tuple(x for p in pending for x in p.actors),
                    frames=tuple(x for p in pending for x in p.frames),
                    incidents=tuple(x for p in pending for x in p.incidents),
                )

    def parse(self, items: Iterable[tuple[str, Any]]) -> Iterator[tuple[Any, Any]]:
        """``nlp.pipe(items, as_tuples=True)`` in batches of at most ``batch_size`` texts
        and ``batch_chars`` characters (a text longer than that is a batch of its own).

        spaCy's tok2vec keeps every layer's activations of a batch until the batch is done
        (~15 KB per token with the small English model): 32 long articles took 340 MB on
        top of the model, 40k characters take about 130 MB, at the same speed.

        A text written all in lower case or all in capitals is parsed from a copy with case
        restored (same length and positions; setting ``restore_case``); its doc is marked
        ``user_data["dragoman_restored"]`` and ``process`` reads its records' text back from
        the original.
        """
        size, budget = max(1, self.config.batch_size), max(1, self.config.batch_chars)
        batch: list[tuple[str, Any]] = []
        chars = 0
        for item in items:
            if batch and (len(batch) >= size or chars + len(item[0]) > budget):
                yield from self._pipe(batch)
                batch, chars = [], 0
            batch.append(self._cased(item))
            chars += len(item[0])
        if batch:
            yield from self._pipe(batch)

    def _cased(self, item: tuple[str, Any]) -> tuple[str, Any]:
        """A text written all in lower case or capitals, with case restored (same length
        and positions) and its original kept for the records (``extract.casing``)."""
        text = item[0]
        if not self.config.restore_case or case_of(text) == "mixed":
            return item
        if self._restorer is None:
            self._restorer = CaseRestorer.build(self.resources.kb, self.resources.gazetteer,
                                                self.resources.casing)
        restored = self._restorer.restore(text)
        if restored is None or restored == text:
            return item
        return restored, _Restored(text, item[1])

    def _pipe(self, batch: list[tuple[str, Any]]) -> Iterator[tuple[Any, Any]]:
        # the whole batch is parsed at once (batch_size), on one BLAS thread (``one_blas_thread``)
        with one_blas_thread():
            docs = list(self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
        for (text, _), (doc, context) in zip(batch, docs, strict=True):
            # the doc's text is the text parsed (spaCy's tokens keep every character):
            # ``doc_text`` then need not join the tokens again
            doc.user_data["dragoman_text"] = text
            if isinstance(context, _Restored):
                # extractors read the restored copy; their records are given the original's
                # text by ``original_spans`` (same offsets)
                doc.user_data["dragoman_restored"] = True
                context = context.context
            yield doc, context

    def process_one(self, article: Article) -> Result:
        return next(iter(self.process([article])))
