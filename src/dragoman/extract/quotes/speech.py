"""Quotes: direct and indirect speech, with speaker, cue and content.

Contract: ``extract(ctx) -> list[Quote]``; the cue lexicon is ``quotes.cues``.

How it works (details and the choices made in ``docs/quotes.md``):

- **Direct quotes** are found by scanning the text for quotation marks (“ ” ‘ ’ " « »).
  A quote may span sentences and paragraphs (the convention of reopening each paragraph
  without closing the previous one is followed). Nested marks inside a quote belong to it.
  The content span is the text *inside* the marks. The cue is a cue verb syntactically
  linked to the quote in its sentence (``Lavrov said “…”``, ``“…,” said X``), else the
  cue of a short sentence right after it (``“…” He added.``) or of a sentence ending in a
  colon right before it. A long quote with no cue is a paragraph continuation: its speaker
  is the nearest preceding quote's speaker and its cue is None.
- **Indirect quotes**: every token matching the cue lexicon (package data, extendable)
  whose complement clause exists; content = that clause's subtree (the "that" left out),
  speaker = the cue's subject. Participial and coordinated cues with no subject ("…,
  adding that …") take the subject of the nearest cue above them, else of the nearest
  verb above them. "according to X": speaker X, content = the clause the phrase attaches
  to.
- A quoted stretch covering most of a cue's clause makes that quote direct (one record,
  not two); a short quoted fragment inside an indirect content (a partial quote) stays part
  of that indirect quote and is not recorded on its own. A fragment that is itself the
  cue's whole complement ("he called it “a provocation”") is a direct quote.
- Speech reported inside another quote's content ("X said Y believes Z") is not recorded
  separately, except participial continuations ("…, adding that …"), which are.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from spacy.attrs import LEMMA, LOWER, ORTH, SPACY
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...types import ActorRef, Quote, Span
from ..boilerplate import token_columns
from ..context import DocContext, doc_text
from .cues import Cue, CueLexicon

__all__ = ["extract", "find_quoted", "quote_id", "speaker_ref"]

log = logging.getLogger(__name__)

# the right-hand dependents that make up an "object" complement
_OBJECT_DEPS = frozenset({"dobj", "dative", "prep", "xcomp", "ccomp", "oprd", "attr", "acomp",
                          "pcomp", "prt"})


# --------------------------------------------------------------------------- helpers


#: relations a speaker named after its verb gets in the parse ("... said the Observatory")
_INVERTED = frozenset({"nsubj", "dobj", "attr"})

def quote_id(doc_id: str, kind: str, start: int, end: int) -> str:
    """Stable id of a quote: a hash of (doc_id, kind, content start, content end)."""
    return hashlib.sha1(f"{doc_id}\x1f{kind}\x1f{start}\x1f{end}".encode()).hexdigest()[:20]


def _np_tokens(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase of ``head`` without post-modifiers."""
    start = head.i
    for t in head.subtree:
        if t.i < head.i:
            start = min(start, t.i)
    end = head.i + 1
    # keep trailing flat name parts ("Adel al - Jubeir")
    for t in head.rights:
        if t.dep_ in ("compound", "flat", "nummod") and t.i == end:
            end = t.i + 1
    doc = head.doc
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return start, end


def speaker_ref(ctx: DocContext, subj: Token) -> ActorRef:
    """The speaker of a subject token: the actor resolver's answer, else the bare mention."""
    index = ctx.actors
    if index is not None:
        refs = index.refs_for(subj)
        if refs:
            return refs[0]
    start, end = _np_tokens(subj)
    sp = ctx.tspan(ctx.doc[start:end])
    kind = "pronoun" if subj.pos_ == "PRON" else None
    return ActorRef(text=sp.text, start=sp.start, end=sp.end, kind=kind)


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ == "nsubj":
            if c.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head
            return c
    for c in verb.children:  # passive with an agent: "was announced by the ministry"
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading/trailing punctuation and spaces (quote marks kept off)."""
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _char_trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- cues


@dataclass
class _CueHit:
    cue: Cue
    tokens: list[Token]
    head: Token
    content: tuple[int, int] | None = None  # char offsets in the doc

    @property
    def chars(self) -> tuple[int, int]:
        s = min(t.idx for t in self.tokens)
        e = max(t.idx + len(t.text) for t in self.tokens)
        return s, e


def _cue_hits(doc: Doc, lexicon: CueLexicon) -> dict[int, _CueHit]:
    hits: dict[int, _CueHit] = {}
    # the words read once as lists: a spaCy token is made only where a cue may stand
    lemma_col, lowers, texts, spaced = token_columns(doc, [LEMMA, LOWER, ORTH, SPACY])
    lemmas = [w.lower() for w in lemma_col]
    for i in range(len(doc)):
        if i >= 2 and texts[i - 1] == "-" and not spaced[i - 2]:
            continue  # part of a hyphenated word ("so-called", "much-criticized")
        if not lexicon.may_head(lemmas[i], lowers[i]):
            continue
        token = doc[i]
        m = lexicon.match(token)
        if m is not None:
            hits[token.i] = _CueHit(m[0], m[1], token)
    return hits


def _inverted(verb: Token, hit: _CueHit | None) -> Token | None:
    """The speaker named after its verb when the content comes first ("Four civilians were
    killed, said the Observatory"; in copy without commas the parser may take a word of the
    content for the subject and the speaker for an object); never after a verb whose object
    is the one told ("... told Reuters")."""
    if hit is not None and hit.cue.addressee:
        return None
    if not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children):
        return None
    subj = _subject(verb)
    if subj is not None and subj.i > verb.i:
        return None  # already the speaker after the verb
    content = min((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i),
                  key=lambda c: c.i)
    if subj is not None and not content.left_edge.i <= subj.i < verb.i:
        return None  # a subject before the content is the speaker; only one inside it
        # (where the parser took a word of the content for it) gives way
    after = [c for c in verb.children if c.i > verb.i and c.dep_ in _INVERTED
             and c.pos_ in ("NOUN", "PROPN") and c.ent_type_ not in ("DATE", "TIME")]
    return after[0] if after else None


def _speaker_token(verb: Token, hits: dict[int, _CueHit]) -> tuple[Token | None, bool]:
    """The subject speaking through ``verb``, and whether it was inherited from above."""
    inverted = _inverted(verb, hits.get(verb.i))
    if inverted is not None:
        return inverted, False
    subj = _subject(verb)
    if subj is not None:
        return subj, False
    # participial / coordinated cue with no subject: the nearest cue above, else the verb above
    fallback: Token | None = None
    t = verb
    steps = 0
    while t.head is not t and steps < 12:
        t = t.head
        steps += 1
        s = _subject(t)
        if s is None:
            continue
        if t.i in hits and hits[t.i].cue.cls == "speech":
            return s, True
        if fallback is None:
            fallback = s
    return fallback, True


def _paragraph(doc: Doc, v: Token, start: int, end: int) -> tuple[int, int]:
    """The part of token range [start, end) in the cue's paragraph (no line breaks crossed)."""
    for i in range(v.i + 1, end):
        if "\n" in doc[i].text or (i > start and "\n" in doc[i - 1].whitespace_):
            end = i
            break
    for i in range(min(v.i, end) - 1, start - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            start = i + 1
            break
    return start, max(start, end)


def _content_range(hit: _CueHit, hits: dict[int, _CueHit]) -> tuple[int, int] | None:
    """Token range [start, end) of the clause a verb cue governs, or None."""
    v = hit.head
    doc = v.doc
    if hit.cue.kind == "source":
        # "according to X": the clause the phrase attaches to, minus the phrase
        main = v.head
        if main is v:
            return None
        while main.dep_ == "conj" and main.head is not main:
            main = main.head  # "A, B and C, according to X": the whole coordination
        phrase = {t.i for t in v.subtree}
        idx = [t.i for t in main.subtree if t.i not in phrase and t.sent == v.sent]
        if not idx:
            return None
        lo, hi = min(phrase), max(phrase)
        left = [i for i in idx if i < lo and not (doc[i].is_punct or doc[i].is_space)]
        right = [i for i in idx if i > hi and not (doc[i].is_punct or doc[i].is_space)]
        if left and right:
            start, end = min(left), max(right) + 1
        elif left:
            start, end = min(left), max(left) + 1
        elif right:
            start, end = min(right), max(right) + 1
        else:
            return None
        return _trim(doc, *_paragraph(doc, v, start, end))
    comps = [c for c in v.children if c.dep_ in hit.cue.complements]
    if any(c.dep_ == "oprd" for c in comps):
        # "called it “a provocation”": the object named goes with the name
        comps += [c for c in v.children if c.dep_ == "dobj" and c not in comps]
    if not comps and "object" in hit.cue.complements:
        # a stance verb's object and what follows it ("criticized Trump for …")
        comps = [c for c in v.rights if c.dep_ in _OBJECT_DEPS]
    if comps:
        # each complement's tokens on its own side of the cue ("Asked …, X said, “…”")
        tokens = [t for c in comps for t in c.subtree if (t.i > v.i) == (c.i > v.i)]
        start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
        # a coordinated clause that is an attribution of its own ("…, and three-quarters
        # said the same") is not part of this content: stop before it
        for c in comps:
            for conj in c.subtree:
                if (
                    conj.dep_ == "conj"
                    and conj.i > v.i
                    and conj.i in hits
                    and hits[conj.i].cue.cls == "speech"
                ):
                    cut = min(t.i for t in conj.subtree)
                    while cut > start and doc[cut - 1].dep_ in ("cc", "punct"):
                        cut -= 1
                    end = min(end, cut)
        # leave out a leading complementiser ("that", "whether" stays)
        if doc[start].dep_ == "mark" and doc[start].lower_ == "that":
            start += 1
        return _trim(doc, *_paragraph(doc, v, start, end))
    # inverted reporting clause: "Russia will respond, he said." parsed with the cue as a
    # parataxis of the content's head
    if (
        v.dep_ in ("parataxis", "ccomp")
        and "ccomp" in hit.cue.complements
        and v.head.pos_ in ("VERB", "AUX")
        and v.head.i not in hits
        and _subject(v) is not None
        and (v.dep_ == "parataxis" or (v.i > v.head.i and doc[v.left_edge.i - 1].is_punct))
    ):
        inner = {t.i for t in v.subtree}
        idx = [t.i for t in v.head.subtree if t.i not in inner]
        if idx:
            return _trim(doc, min(idx), max(idx) + 1)
    return None


# --------------------------------------------------------------------------- direct quotes

# a quote covering less than this share of its cue's complement is a fragment of reported
# speech ("said the raid was “an act of aggression” that …"): the record is the indirect one
_MIXED = 0.85
_OPEN_CLOSE = {"“": "”", "«": "»", "„": "“", "‘": "’", '"': '"'}
_CLOSERS_AFTER = set(" \t\n\r,.;:!?)]}—–-…'’”»")


def _is_opener(text: str, i: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    if not nxt or nxt.isspace():
        return False
    if ch in "“«„":
        return True
    return prev == "" or prev.isspace() or prev in "([{—–-/“‘\"'"


def _is_closer(text: str, i: int, ch: str) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch in "”»":
        return True
    if ch == "“":  # German-style closer after „
        return True
    if prev.isspace():
        return False
    return nxt == "" or nxt in _CLOSERS_AFTER or (ch == '"' and not nxt.isalnum())


@dataclass
class _Stretch:
    start: int  # content start (doc chars, inside the marks)
    end: int
    open_at: int  # position of the opening mark
    close_at: int  # position of the closing mark (or the paragraph end)


_DOUBLED = re.compile(r"'{2,}")


def _doubled_marks(text: str) -> str:
    """``text`` with two or more apostrophes that stand for a quotation mark (copy that
    typed one as two: "''we will not allow it,'' he said") read as one straight mark, at the
    side of the quote (offsets kept): an opener before a word after a space or a bracket,
    a closer after a word before a space or punctuation; "vajpayee''s" stays a word."""
    if "''" not in text:
        return text
    chars = list(text)
    n = len(text)
    for m in _DOUBLED.finditer(text):
        a, b = m.start(), m.end()
        prev = text[a - 1] if a > 0 else ""
        nxt = text[b] if b < n else ""
        if (prev == "" or prev.isspace() or prev in "([{—–-/") and nxt.isalnum():
            chars[a:b] = " " * (b - a - 1) + '"'
        elif prev and not prev.isspace() and (nxt == "" or nxt in _CLOSERS_AFTER):
            chars[a:b] = '"' + " " * (b - a - 1)
    return "".join(chars)


def find_quoted(text: str) -> list[_Stretch]:
    """Top-level quoted stretches of ``text`` (nested marks belong to the outer quote)."""
    out: list[_Stretch] = []
    text = _doubled_marks(text)
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in _OPEN_CLOSE or not _is_opener(text, i):
            i += 1
            continue
        closer = _OPEN_CLOSE[ch]
        j = i + 1
        found = -1
        while j < n:
            c = text[j]
            if c == "\n":
                # a paragraph break: the quote goes on only if the next paragraph reopens it
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k < n and text[k] == ch:
                    j = k + 1
                    continue
                break
            if c == closer and _is_closer(text, j, c):
                found = j
                break
            j += 1
        if found < 0:
            if ch in "“«" and j > i + 1:
                # unclosed curly quote: it ends with its paragraph
                s, e = _char_trim(text, i + 1, j)
                if e > s:
                    out.append(_Stretch(s, e, i, j))
                i = j
            else:
                i += 1
            continue
        s, e = _char_trim(text, i + 1, found)
        if e > s:
            out.append(_Stretch(s, e, i, found))
        i = found + 1
    return out


def _tokens_in(doc: Doc, start: int, end: int) -> SpacySpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _words(span: SpacySpan) -> int:
    return sum(1 for t in span if not (t.is_punct or t.is_space))


def _direct_cue(
    doc: Doc, st: _Stretch, inside: SpacySpan, hits: dict[int, _CueHit]
) -> _CueHit | None:
    """The cue of a quoted stretch, or None."""
    inner = set(range(inside.start, inside.end))
    sents = {t.sent.start: t.sent for t in (inside[0], inside[-1])}
    candidates: list[tuple[int, int, _CueHit]] = []
    for sent in sents.values():
        for t in sent:
            if t.i in inner or t.i not in hits or hits[t.i].cue.kind != "verb":
                continue
            hit = hits[t.i]
            if hit.content is not None and not (
                hit.content[0] < st.end and st.start < hit.content[1]
            ):
                continue  # this cue governs another clause
            linked = t.head.i in inner or any(
                a.i == t.i for tok in inside for a in tok.ancestors
            )
            cs, ce = hit.chars
            dist = st.open_at - ce if ce <= st.open_at else cs - st.close_at
            candidates.append((0 if linked else 1, max(dist, 0), hit))
    if candidates:
        candidates.sort(key=lambda x: (x[0], x[1]))
        rank, dist, hit = candidates[0]
        if rank == 0 or dist <= 60:
            return hit
    # "“…” He added.": a short sentence right after the quote
    text = doc_text(doc)
    after = st.close_at + 1
    if after < len(text):
        k = after
        while k < len(text) and text[k] in " \t,":
            k += 1
        if k < len(text) and text[k] != "\n":
            tok = _tokens_in(doc, k, k + 1)
            if tok is not None:
                sent = tok[0].sent
                if sent.start >= inside.end and len(sent) <= 10:
                    for t in sent:
                        if t.i in hits and hits[t.i].cue.kind == "verb" and t.i not in inner:
                            return hits[t.i]
    # "The Times reports:\n\n“…”": a sentence ending in a colon right before the quote
    k = st.open_at - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    if k >= 0 and text[k] == ":":
        tok = _tokens_in(doc, k, k + 1)
        if tok is not None:
            sent = tok[0].sent
            best = [hits[t.i] for t in sent if t.i in hits and hits[t.i].cue.kind == "verb"]
            if best:
                return best[-1]
    return None


# --------------------------------------------------------------------------- extraction


def _speaker_of(ctx: DocContext, hit: _CueHit, hits: dict[int, _CueHit]) -> ActorRef | None:
    if hit.cue.kind == "source":
        pobj = next(
            (c for t in hit.tokens[1:] for c in t.children if c.dep_ == "pobj"), None
        )
        return speaker_ref(ctx, pobj) if pobj is not None else None
    tok, _ = _speaker_token(hit.head, hits)
    return speaker_ref(ctx, tok) if tok is not None else None


def extract(ctx: DocContext) -> list[Quote]:
    """Direct and indirect quotes of the document, in text order."""
    doc = ctx.doc
    text = doc_text(doc)
    hits = _cue_hits(doc, ctx.resources.cues)

    # 1. indirect candidates: every cue with a complement clause
    contents: dict[int, tuple[int, int]] = {}
    for i, hit in hits.items():
        rng = _content_range(hit, hits)
        if rng is None or rng[1] <= rng[0]:
            continue
        span = doc[rng[0]:rng[1]]
        if _words(span) < 2 and hit.cue.kind == "verb" and "oprd" not in hit.cue.complements:
            continue
        hit.content = (span.start_char, span.end_char)
        contents[i] = hit.content

    # 2. direct quotes and the cues they take over
    stretches = find_quoted(text)
    direct: list[tuple[_Stretch, _CueHit | None]] = []
    taken: set[int] = set()
    for st in stretches:
        inside = _tokens_in(doc, st.start, st.end)
        if inside is None or len(inside) == 0:
            continue
        cue = _direct_cue(doc, st, inside, hits)
        qlen = st.end - st.start
        if cue is not None and cue.content is not None:
            cs, ce = cue.content
            overlap = min(ce, st.end) - max(cs, st.start)
            if overlap > 0 and qlen < _MIXED * (ce - cs):
                # a partial quote inside reported speech: part of the indirect quote
                continue
        # a quote inside another cue's indirect content, with no cue of its own
        if cue is None:
            if _words(inside) < 4:
                continue
            if any(cs <= st.start and st.end <= ce for cs, ce in contents.values()):
                continue
        direct.append((st, cue))
        if cue is not None:
            taken.add(cue.head.i)

    # 3. merge a quote interrupted by its cue: "“…,” he said, “…”" (same sentence)
    merged: list[tuple[_Stretch, _CueHit | None]] = []
    for st, cue in direct:
        if merged:
            pst, pcue = merged[-1]
            between = text[pst.close_at + 1:st.open_at]
            if (
                cue is None
                and pcue is not None
                and "\n" not in between
                and pst.close_at < pcue.chars[0] < st.open_at
            ):
                # "“A,” he said. “B.”": the quote goes on after its attribution
                merged[-1] = (_Stretch(pst.start, st.end, pst.open_at, st.close_at), pcue)
                continue
            if (
                cue is not None
                and pcue is cue
                and doc.char_span(pst.close_at, pst.close_at + 1, alignment_mode="expand")
                is not None
                and _same_sentence(doc, pst.close_at, st.open_at)
                and pst.close_at < cue.chars[0] < st.open_at
            ):
                merged[-1] = (_Stretch(pst.start, st.end, pst.open_at, st.close_at), cue)
                continue
        merged.append((st, cue))

    quotes: list[Quote] = []
    last_speaker: ActorRef | None = None
    last_end = -1
    direct_ranges: list[tuple[int, int]] = []
    for st, cue in merged:
        sent_tok = _tokens_in(doc, st.start, st.start + 1)
        sent_index = ctx.sentence_index(sent_tok[0].sent) if sent_tok is not None else None
        if cue is not None:
            speaker = _speaker_of(ctx, cue, hits)
            cue_span: Span | None = ctx.span(*cue.chars)
        else:
            # paragraph continuation: the nearest preceding speaker (within 3 paragraphs)
            gap = text[last_end:st.open_at] if last_end >= 0 else ""
            speaker = last_speaker if last_end >= 0 and gap.count("\n") <= 6 else None
            cue_span = None
        content = ctx.span(st.start, st.end)
        quotes.append(
            Quote(
                id=quote_id(ctx.doc_id, "direct", content.start, content.end),
                doc_id=ctx.doc_id,
                kind="direct",
                speaker=speaker,
                cue=cue_span,
                content=content,
                sentence_index=sent_index,
            )
        )
        direct_ranges.append((st.start, st.end))
        if speaker is not None:
            last_speaker, last_end = speaker, st.close_at

    # 4. indirect quotes: cues not taken by a direct quote, content not mostly quoted
    outer: list[tuple[int, int]] = []
    for i in sorted(contents):
        hit = hits[i]
        if i in taken:
            continue
        cs, ce = contents[i]
        quoted = sum(max(0, min(ce, qe) - max(cs, qs)) for qs, qe in direct_ranges)
        if quoted >= 0.5 * (ce - cs):
            continue
        hs, he = hit.chars
        subj_tok, inherited = _speaker_token(hit.head, hits)
        nested = any(os_ <= hs and he <= oe for os_, oe in outer) or any(
            qs <= hs and he <= qe for qs, qe in direct_ranges
        )
        if nested and not (inherited and hit.head.tag_ == "VBG") and hit.cue.kind == "verb":
            continue
        outer.append((cs, ce))
        speaker = _speaker_of(ctx, hit, hits)
        content = ctx.span(cs, ce)
        quotes.append(
            Quote(
                id=quote_id(ctx.doc_id, "indirect", content.start, content.end),
                doc_id=ctx.doc_id,
                kind="indirect",
                speaker=speaker,
                cue=ctx.span(hs, he),
                content=content,
                sentence_index=ctx.sentence_index(hit.head.sent),
            )
        )
        del subj_tok

    quotes.sort(key=lambda q: (q.content.start, q.content.end, q.kind))
    return quotes


def _same_sentence(doc: Doc, a: int, b: int) -> bool:
    ta = doc.char_span(a, a + 1, alignment_mode="expand")
    tb = doc.char_span(b, b + 1, alignment_mode="expand")
    if ta is None or tb is None:
        return False
    return ta[0].sent.start == tb[0].sent.start
