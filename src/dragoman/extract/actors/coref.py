"""Actors: coreference — surnames, pronouns and "we" in quotations.

- ``surnames``: a bare surname ("Lavrov") is the person named in full before, or the
  knowledge base's person of that surname when a title or the tagger says it is a person;
- ``person_pronouns``: "he"/"his"… → the person meant (``pronoun_target``);
- ``group_pronouns``: "it"/"they"… → the country, organisation or group (``group_target``),
  pleonastic "it" ("it seems") excepted;
- ``we_in_quotes``: "we"/"our" in a quotation → the speaker's country.

The pronoun lists are ``data/actors/pronouns.yaml``.
"""

from __future__ import annotations

from spacy.tokens import Token

from .entries import SPECIAL_CODES, best_by_hint
from .mentions import Mention
from .names import norm
from .state import DocState
from .titles import title_context

__all__ = ["group_pronouns", "group_target", "person_pronouns", "pronoun_target", "surnames",
           "we_in_quotes"]


def surnames(r: DocState) -> None:
    """Bare surnames ("Lavrov", even when tagged ORG) → the person named in full."""
    people = sorted((m for m in r.items if m.kind == "person"), key=lambda m: m.start)
    for t in r.toks:
        if t.i in r.taken or t.i in r.skip or t.pos_ != "PROPN":
            continue
        if t.i in r.place_tokens or (t.dep_ == "compound" and t.head.pos_ == "PROPN"):
            continue  # "Khan Sheikhoun" is a place, not Mr Khan
        key = norm(t.text)
        prior = None
        for m in people:
            if m.name and m.end <= t.i + 1 and len(m.name.split()) > 1:
                last = norm(m.name.split()[-1])
                if key == last or ("-" in last and key == last.split("-", 1)[1]):
                    prior = m
        if prior is None:
            prior = _kb_surname(r, t)
        if prior is None:
            continue
        if prior.kb_id is None and prior.country is None and prior.sector is None:
            country, sector = title_context(r, t.i, t.i + 1)[:2]
        else:
            country, sector = prior.country, prior.sector
        m = Mention(t.i, t.i + 1, t.i, prior.name, country, sector, prior.kb_id, "person",
                    "coref", role=prior.role)
        r.add(m)
        r.taken.add(t.i)
        people.append(m)


def _kb_surname(r: DocState, t: Token) -> Mention | None:
    ids = r.kb.surnames.get(norm(t.text))
    if not ids:
        return None
    ent = t.ent_type_
    country, sector, hint, _ = title_context(r, t.i, t.i + 1)
    if ent not in ("PERSON", "ORG") and not hint:
        return None
    cands = [r.kb.entries[i] for i in ids]
    if r.date is not None:
        active = [e for e in cands if e.role_on(r.date)]
        cands = active or cands
    if len(cands) > 1 and hint:
        cands = [e for e in cands if best_by_hint(list(e.roles), hint)] or cands
    if len(cands) > 1:
        # "President Bush": not sure who, but sure of the country and sector
        shared = {(e.roles[-1].country, e.roles[-1].sector) for e in cands}
        if len(shared) != 1:
            return None
        c, sec = shared.pop()
        return Mention(t.i, t.i + 1, t.i, t.text, c, sec, None, "person", "kb",
                       role=hint or None)
    return r.from_entry(cands[0], t.i, t.i + 1, t.i, hint, "kb", country, sector)


def pronoun_target(r: DocState, tok: Token) -> Mention | None:
    """The person a 3rd-person singular pronoun refers to: in its own sentence the last
    person before it (possessives and objects), else the subject of the closest earlier
    sentence that has a person, else the last person mentioned."""
    people = [m for m in r.items if m.kind == "person" and m.start < tok.i]
    if not people:
        return None
    s = r.sent_index(tok.i)
    same = [m for m in people if r.sent_index(m.head) == s]
    if same and tok.dep_ not in ("nsubj", "nsubjpass"):
        subj = [m for m in same if r.toks[m.head].dep_ in ("nsubj", "nsubjpass")]
        return (subj or same)[-1]
    for prev in range(s - 1, -1, -1):
        in_prev = [m for m in people if r.sent_index(m.head) == prev]
        if not in_prev:
            continue
        subj = [m for m in in_prev if r.toks[m.head].dep_ in ("nsubj", "nsubjpass")]
        return (subj or in_prev)[-1] if subj else in_prev[-1]
    return people[-1]


def _quote_spans(r: DocState) -> list[tuple[int, int]]:
    """Character spans of quotations (curly or straight double quotes)."""
    text = r.ctx.text  # cached: spaCy joins every token for doc.text
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for k, ch in enumerate(text):
        if ch == "“" or (ch == '"' and open_at is None):
            open_at = k
        elif (ch == "”" or ch == '"') and open_at is not None:
            spans.append((open_at, k + 1))
            open_at = None
    return spans


def _speaker_of(r: DocState, qs: int, qe: int) -> Mention | None:
    """The person closest to a quotation, outside it, in its sentence or the next
    ("Lavrov said “…”", "“…” He added.")."""
    doc = r.doc
    first = doc.char_span(qs, qe, alignment_mode="expand")
    if first is None:
        return None
    s0, s1 = r.sent_index(first.start), r.sent_index(first.end - 1)
    best: tuple[int, Mention] | None = None
    for m in r.items:
        if m.kind != "person" or m.country is None:
            continue
        c0 = r.toks[m.start].idx
        if qs <= c0 < qe:
            continue
        si = r.sent_index(m.head)
        if si not in (s0, s1, s1 + 1):
            continue
        dist = qs - c0 if c0 < qs else c0 - qe
        if best is None or dist < best[0]:
            best = (dist, m)
    return best[1] if best else None


def we_in_quotes(r: DocState) -> None:
    """"we"/"our" inside a quotation → the speaker's country (and sector)."""
    spans = _quote_spans(r)
    if not spans:
        return
    for t in r.toks:
        if t.lower_ not in r.pron.speaker or t.pos_ != "PRON" or t.i in r.taken:
            continue
        q = next(((a, b) for a, b in spans if a <= t.idx < b), None)
        if q is None:
            continue
        sp = _speaker_of(r, *q)
        if sp is None or not sp.country or sp.country in SPECIAL_CODES:
            continue
        entry = r.kb.country(sp.country)
        r.add(Mention(t.i, t.i + 1, t.i, entry.name if entry else None, sp.country,
                      sp.sector, entry.kb_id if entry else None, "pronoun", "pronoun"))


def person_pronouns(r: DocState) -> None:
    """"he"/"his"… → the person meant; an unresolved one is a mention of nobody known."""
    for t in r.toks:
        if t.lower_ not in r.pron.person or t.pos_ != "PRON" or t.i in r.taken:
            continue
        target = pronoun_target(r, t)
        if target is None:
            r.add(Mention(t.i, t.i + 1, t.i, None, None, None, None, "pronoun", "none"))
            continue
        r.add(Mention(t.i, t.i + 1, t.i, target.name, target.country, target.sector,
                      target.kb_id, "person", "pronoun", role=target.role))


def _fits_group(r: DocState, m: Mention, plural: bool) -> bool:
    """Whether a mention can be what "it" (singular) or "they" (plural) stands for."""
    if m.kind not in ("country", "org", "group") or (m.country is None and m.sector is None):
        return False
    if plural:
        return True
    return not (m.kind == "group" and r.toks[m.head].tag_ in ("NNS", "NNPS"))


def _pleonastic(r: DocState, tok: Token) -> bool:
    """"it seems", "it is reported that", "it is likely that": an "it" that is nobody."""
    if tok.lower_ != "it":
        return False
    if tok.dep_ == "expl":
        return True
    head = tok.head
    lem = head.lemma_.lower()
    if tok.dep_ == "nsubj" and lem in r.pron.pleonastic_heads:
        return True
    if tok.dep_ == "nsubjpass" and lem in r.pron.pleonastic_passives:
        return True
    if tok.dep_ == "nsubj" and lem == "be":
        return any(c.dep_ in ("acomp", "attr") and c.lemma_.lower()
                   in r.pron.pleonastic_adjectives for c in head.children)
    return False


def group_target(r: DocState, tok: Token) -> Mention | None:
    """What "it"/"its" (a country, organisation or singular group) or "they"/"their" (a
    group, organisation or country) stands for: the subject of a clause governing the
    pronoun ("Hungary said it will…", "Bosnian Serbs said their forces…"), else the last
    fitting mention before it in its sentence, else the subject (or last fitting
    mention) of one of the two sentences before."""
    if tok.i in r.group_cache:
        return r.group_cache[tok.i]
    plural = tok.lower_ in r.pron.plural
    found: Mention | None = None
    if not _pleonastic(r, tok):
        found = _governing_subject(r, tok, plural) or _last_fitting(r, tok, plural)
    r.group_cache[tok.i] = found
    return found


def _governing_subject(r: DocState, tok: Token, plural: bool) -> Mention | None:
    for anc in tok.ancestors:
        for c in anc.children:
            if c.dep_ not in ("nsubj", "nsubjpass") or c.i >= tok.i:
                continue
            m = r.by_token.get(c.i)
            if m is not None and _fits_group(r, m, plural) and not (m.start <= tok.i < m.end):
                return m
    return None


def _last_fitting(r: DocState, tok: Token, plural: bool) -> Mention | None:
    s = r.sent_index(tok.i)
    lo = max(r.sent_starts[max(0, s - 2)], tok.i - 150)
    seen: set[int] = set()
    subj_by: dict[int, Mention] = {}
    last_by: dict[int, Mention] = {}
    for j in range(tok.i - 1, lo - 1, -1):
        m = r.by_token.get(j)
        if m is None or id(m) in seen:
            continue
        seen.add(id(m))
        if not _fits_group(r, m, plural) or m.start <= tok.i < m.end:
            continue
        si = r.sent_index(m.head)
        if si == s:
            return m
        if r.toks[m.head].dep_ in ("nsubj", "nsubjpass"):
            subj_by.setdefault(si, m)
        last_by.setdefault(si, m)
    for si in range(s - 1, s - 3, -1):
        m = subj_by.get(si) or last_by.get(si)
        if m is not None:
            return m
    return None


def group_pronouns(r: DocState) -> None:
    """"it"/"they" and their possessives → the country, organisation or group meant."""
    pron = r.pron
    for t in r.toks:
        low = t.lower_
        if t.pos_ != "PRON" or t.i in r.taken or t.i in r.by_token or not (
            low in pron.singular or low in pron.plural
        ):
            continue
        target = group_target(r, t)
        if target is None:
            continue
        m = Mention(t.i, t.i + 1, t.i, target.name, target.country, target.sector,
                    target.kb_id, target.kind, "pronoun", alts=list(target.alts))
        if low in pron.plural:
            # "Russia and Iran said they…": every conjunct of the antecedent
            for c in r.toks[target.head].children:
                other = r.by_token.get(c.i) if c.dep_ == "conj" else None
                if other is not None and other is not target and other.country and (
                    other.country != target.country
                ):
                    m.alts.append((other.country, other.name))
        r.add(m)
