"""Actors: names — what the knowledge base knows, and named entities it does not.

``match_names`` finds the longest knowledge-base names in the text (countries,
organisations, people, with their titles), capitals that stand for their government and
demonyms; places that are an action's subject or object; misspelt country names.
``tagged_names`` adds the tagger's people and organisations the knowledge base does not
know, with the country and sector of their title.
"""

from __future__ import annotations

from rapidfuzz import fuzz as rf_fuzz
from rapidfuzz import process as rf_process

from .mentions import Mention
from .names import fold, norm
from .state import DocState
from .titles import title_context

__all__ = ["match_names", "tagged_names"]

_MAX_ALIAS_TOKENS = 10  # the longest name matched, in tokens
_FUZZY_CUTOFF = 90.0  # rapidfuzz ratio for a misspelt country name
_AGENT_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
_ARG_DEPS = _AGENT_DEPS | {"dobj", "dative", "pobj", "conj", "appos"}

_Match = tuple[int, int, str, tuple[str, ...], str]  # start, end, what, kb ids, iso3


def _kb_matches(r: DocState) -> list[_Match]:
    """Longest KB matches, left to right: (start, end, what, kb ids, iso3); ``what`` is
    "kb" (kb ids), "demonym", "demonyms" (plural) or "capital" (iso3)."""
    doc, kb = r.doc, r.kb
    folded = [fold(t.text) for t in r.toks]
    lowered = [f.lower() for f in folded]
    ws = [bool(t.whitespace_) for t in r.toks]
    out: list[_Match] = []
    prefixes = kb.prefixes
    i = 0
    n = len(doc)
    while i < n:
        if lowered[i] not in prefixes or lowered[i] == "the" or i in r.skip:
            i += 1
            continue
        best: tuple[int, str, tuple[str, ...], str] | None = None
        exact = ""
        key = ""
        upper = False
        for j in range(i, min(n, i + _MAX_ALIAS_TOKENS)):
            piece = folded[j]
            if j > i:
                sep = " " if ws[j - 1] else ""
                exact += sep
                key += sep
            exact += piece
            key += lowered[j]
            if key not in prefixes or "\n" in piece or not piece.strip():
                break
            upper = upper or any(c.isupper() for c in piece)
            if not upper:
                continue
            ids = kb.exact.get(exact) or kb.names.get(key)
            if ids:
                best = (j + 1, "kb", ids, "")
            elif key in kb.demonyms:
                best = (j + 1, "demonym", (), kb.demonyms[key])
            elif key in kb.capitals:
                best = (j + 1, "capital", (), kb.capitals[key])
            elif key.endswith("s") and key[:-1] in kb.demonyms:
                best = (j + 1, "demonyms", (), kb.demonyms[key[:-1]])
        if best is None:
            i += 1
            continue
        end, what, ids_found, iso = best
        out.append((i, end, what, ids_found, iso))
        i = end
    return out


def match_names(r: DocState) -> None:
    """Names the knowledge base knows (longest first), capitals as metonyms and
    demonyms; then places as actors and misspelt country names."""
    for start, end, what, ids, value in _kb_matches(r):
        head = r.head_of(start, end)
        if what == "kb":
            country, sector, hint, _ = title_context(r, start, end)
            e = r.choose(ids, hint)
            r.add(r.from_entry(e, start, end, head, hint, "kb", country, sector))
            if e.kind == "country":
                r.country_at[start] = e.country or ""
            r.taken.update(range(start, end))
        elif what == "capital":
            r.country_at[start] = value
            for k in range(start, end):
                r.place_spans.setdefault(k, (start, end, value))
            t = r.toks[head]
            locative = t.dep_ == "pobj" and t.head.lower_ in r.pron.locative_preps
            if head in r.metonym_tokens or (
                t.dep_ in _ARG_DEPS and not locative and head not in r.skip
            ):
                entry = r.kb.country(value)
                # "blockade Paris", "shelled Kabul": the city and its people
                sector = "CVL" if t.dep_ == "dobj" and \
                    t.head.lemma_.lower() in r.lex.place_target_verbs else "GOV"
                r.add(Mention(start, end, head, entry.name if entry else None, value,
                              sector, entry.kb_id if entry else None, "country",
                              "metonym"))
            r.taken.update(range(start, end))
        elif what in ("demonym", "demonyms"):
            prev = r.demonym_tok.get(start - 1)
            if prev is not None and prev[0] in r.demonym_at:
                # "Bosnian Serbs", "Bosnian Serb forces": a people of the first country
                first, value = prev[0], prev[1]
                r.demonym_at[first] = (first, end, value)
                start = first
            r.country_at[start] = value
            r.demonym_at[start] = (start, end, value)
            for k in range(start, end):
                r.demonym_tok[k] = (start, value)
            # a plural demonym is a noun ("the Russians", "Palestinians"): its people
            t = r.toks[head]
            if what == "demonyms" and t.dep_ not in ("amod", "compound"):
                entry = r.kb.country(value)
                m = Mention(start, end, head, entry.name if entry else None, value,
                            "CVL", None, "group", "demonym")
                r.add(m)
                if start > 0 and r.lemmas[start - 1] in r.pron.diaspora_modifiers:
                    r.diaspora.append(m)  # "ethnic Albanians": settled in focus_pass
                r.taken.update(range(start, end))
    _places_as_actors(r)
    _misspelt_countries(r)


#: ``_closest``'s answers: id of the names → (the names, kept alive; key → index or None)
_CLOSEST: dict[int, tuple[tuple[str, ...], dict[str, int | None]]] = {}


def _closest(key: str, keys: tuple[str, ...]) -> int | None:
    """The index in ``keys`` of the name closest to ``key`` (rapidfuzz ratio at least
    ``_FUZZY_CUTOFF``), else None; remembered per key (a corpus repeats its names)."""
    memo = _CLOSEST.get(id(keys))
    if memo is None or memo[0] is not keys:
        memo = _CLOSEST[id(keys)] = (keys, {})
    found = memo[1]
    if key in found:
        return found[key]
    if len(found) >= 50_000:
        found.clear()
    hit = rf_process.extractOne(key, keys, scorer=rf_fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    at = found[key] = hit[2] if hit is not None else None
    return at


def _misspelt_countries(r: DocState) -> None:
    """A name the tagger calls a place, organisation or nationality that is a country
    name or demonym misspelt by a letter ("Ethopia", "Quatar"): that country."""
    if not r.kb.fuzzy:
        return
    spans: list[tuple[int, int]] = []
    in_ents: set[int] = set()
    for ent in r.doc.ents:
        in_ents.update(range(ent.start, ent.end))
        if ent.label_ in ("GPE", "ORG", "NORP", "LOC") and len(ent) <= 3:
            start = ent.start + (r.toks[ent.start].lower_ == "the")
            spans.append((start, ent.end))
    for t in r.toks:  # a capitalised word the tagger left out of every entity
        if t.i not in in_ents and t.pos_ in ("PROPN", "ADJ") and t.text[:1].isupper():
            spans.append((t.i, t.i + 1))
    for start, end in spans:
        if start >= end or any(t in r.taken or t in r.skip or t in r.place_tokens
                               for t in range(start, end)):
            continue
        key = norm(r.doc[start:end].text)
        if len(key) < 5 or not key.replace(" ", "").isalpha():
            continue
        # a misspelling keeps its first letter: compare with names of that initial only
        keys, values = r.kb.fuzzy.get(key[0], ((), ()))
        at = _closest(key, keys) if keys else None
        if at is None:
            continue
        iso, what = values[at]
        head = r.head_of(start, end)
        r.country_at[start] = iso
        if what == "demonym":
            r.demonym_at[start] = (start, end, iso)
            for k in range(start, end):
                r.demonym_tok[k] = (start, iso)
            continue
        entry = r.kb.country(iso)
        if entry is None:
            continue
        r.add(r.from_entry(entry, start, end, head, "", "kb", None, None))
        r.taken.update(range(start, end))


def _places_as_actors(r: DocState) -> None:
    """A gazetteer place that is the subject or object of a verb stands for its people
    or authorities ("Samarra was attacked"): its country, sector unknown."""
    if not r.ctx.places:
        return
    for p in r.ctx.places:
        if p.role in ("dateline", "demonym", "embedded") or not p.country:
            continue
        span = r.doc.char_span(p.start - r.ctx.base, p.end - r.ctx.base,
                               alignment_mode="expand")
        if span is None or any(t.i in r.taken for t in span):
            continue
        root = span.root
        if root.dep_ not in ("nsubj", "nsubjpass", "dobj", "agent") and p.role != "metonym":
            continue
        entry = r.kb.country(p.country)
        sector = "GOV" if p.role == "metonym" else None
        r.add(Mention(span.start, span.end, root.i, entry.name if entry else None,
                      p.country, sector, entry.kb_id if entry else None, "country",
                      "metonym"))
        r.taken.update(range(span.start, span.end))


def tagged_names(r: DocState) -> None:
    """Named entities the KB does not know: people (title → country/sector), orgs."""
    person_texts: set[str] = set()
    ents = [(e.start, e.end, e.label_, e.root.i) for e in r.doc.ents]
    for start, end, label, _ in ents:
        if label == "PERSON" and _good_person(r, start, end):
            person_texts.add(norm(r.doc[start:end].text))
    ents.extend(_titled_names(r, {i for s, e, _, _ in ents for i in range(s, e)}))
    ents.sort()
    for start, end, label, root in ents:
        if label not in ("PERSON", "ORG") or any(
            t in r.taken or t in r.skip for t in range(start, end)
        ):
            continue
        while start < end and r.toks[start].lower_ == "the":
            start += 1
        if start >= end:
            continue
        if label == "PERSON":
            while end - start > 1 and (
                r.is_title_word(r.toks[start]) or r.toks[start].text == "-"
            ):
                start += 1  # "Vice-President Moody Awori": the title is context
        elif all(r.demonym_of(t) or r.is_title_word(t) or t.is_punct
                 for t in r.doc[start:end]):
            continue  # "[British Defence] Secretary Tom King", "[Ugandan] rebels"
        key = norm(r.doc[start:end].text)
        if end - start == 1 and (r.surname_of(key) or key in r.kb.surnames):
            continue  # a bare surname: left to the surname pass
        titled = start > 0 and r.toks[start - 1].lemma_.lower() in r.lex.person_titles and all(
            t.pos_ == "PROPN" for t in r.doc[start:end])
        is_person = label == "PERSON" or key in person_texts or titled
        if is_person:
            if not _good_person(r, start, end):
                continue
            country, sector, hint, _ = title_context(r, start, end)
            name = r.doc[start:end].text
            how = "title" if (country or sector) else "ner"
            r.add(Mention(start, end, root, name, country, sector, None,
                          "person", how, role=hint or None))
        else:
            if r.surname_of(key) or r.junk(start, end):
                continue  # left to the surname pass
            country, sector = _org_attrs(r, start, end)
            r.add(Mention(start, end, root, r.doc[start:end].text, country,
                          sector, None, "org", "ner"))
        r.taken.update(range(start, end))


def _titled_names(r: DocState, in_ents: set[int]) -> list[tuple[int, int, str, int]]:
    """Proper names right after a person title that the tagger missed
    ("ambassador Brah Mohamane", "President Juvenal Habyariman")."""
    doc = r.doc
    out: list[tuple[int, int, str, int]] = []
    i = 1
    while i < len(doc):
        prev = r.toks[i - 1]
        if (r.toks[i].pos_ == "PROPN" and i not in in_ents and i not in r.taken
                and prev.lemma_.lower() in r.lex.person_titles and r.toks[i].text[:1].isupper()):
            j = i
            while j < len(doc) and r.toks[j].pos_ == "PROPN" and j not in in_ents and (
                j not in r.taken
            ):
                j += 1
            if j - i <= 4:
                out.append((i, j, "PERSON", doc[i:j].root.i))
            i = j
        i += 1
    return out


def _good_person(r: DocState, start: int, end: int) -> bool:
    span = r.doc[start:end]
    if "\n" in span.text or r.overlaps_place(start, end) or r.junk(start, end):
        return False
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in r.pron.locative_preps:
        return False  # "in Khan Sheikhoun": people are not where things happen
    if not any(t.is_alpha and t.text[:1].isupper() for t in span):
        return False
    for t in span:
        key = norm(t.text)
        if key in r.kb.demonyms or key in r.kb.capitals:
            return False
        ids = r.kb.lookup(t.text)
        if ids and r.kb.entries[ids[0]].kind != "person":
            return False
    return True


def _org_attrs(r: DocState, start: int, end: int) -> tuple[str | None, str | None]:
    country: str | None = None
    lem = [r.lemmas[i] for i in range(start, end)]
    sector = None
    for e in range(len(lem), 0, -1):
        hit = r.lex.match_at(lem, e)
        if hit:
            sector = hit[1]
            break
    for i in range(start, end):
        key = norm(r.toks[i].text)
        if key in r.kb.demonyms:
            country = r.kb.demonyms[key]
            break
        ids = r.kb.names.get(key)
        if ids and r.kb.entries[ids[0]].kind == "country":
            country = r.kb.entries[ids[0]].country
            break
    if country is None:
        country = title_context(r, start, end)[0]
    return country, sector
