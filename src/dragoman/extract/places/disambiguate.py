"""Place resolution: each mention's entry, chosen against the document's focus; metonymy.

Owns the scoring of a mention's candidates (population, feature, name match, and the
document's focus: the countries and first-order divisions its other places lie in, and
the US counties it names), the metonymy test (a country or capital as the subject of a
verb of ``data/places/metonymy.yaml``) and ``extract(ctx)``, which turns the mentions of
``mentions.py`` into ``Place`` records. County words: ``data/places/divisions.yaml``.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict

from spacy.tokens import Doc

from ...geo import haversine_km
from ...types import Place
from ..context import DocContext
from .build import load_divisions, us_counties
from .gazetteer import (
    BROAD,
    FEATURE_ADM1,
    FEATURE_ADM2,
    FEATURE_CAPITAL,
    FEATURE_CONT,
    FEATURE_COUNTRY,
    Gazetteer,
)
from .mentions import (
    MIN_POP_UNTAGGED_ONE_WORD,
    Mention,
    find_mentions,
    gazetteer_of,
    settle_qualifiers,
)
from .spot import spot_mentions
from .translit import plain
from .words import spot_words_of

__all__ = ["extract"]

_FEATURE_BONUS = {FEATURE_COUNTRY: 2.5, FEATURE_CONT: 2.5, FEATURE_ADM1: 0.5,
                  FEATURE_CAPITAL: 2.0}
_FOCUS_WEIGHT = 4.5
_FOCUS_FULL = 2.0  # the other places' weight at which the country focus has its full weight
_COUNTY_VOTES = 1.0  # weight of a named county's division vote (shared among its states)
_COUNTY_CC = 1.0  # and of its vote for the USA in the country focus
_ADMIN1_FOCUS_BONUS = 1.5
_LOCAL_WEIGHT = 3.0
_LOCAL = "~"  # focus_a1 keys of votes from places (not named divisions)
_LOCAL_TOTAL = "~"
_SHARED = "="  # focus_a1 keys of the divisions the story's names share
_SHARED_WEIGHT = 2.0
_POP_ALONE = 100_000  # a city this large needs no other place of its country in the story
_FAR_MIN_VOTES = 1.0  # the story's other places must carry this much country focus
_IN_COUNTY = 2.0  # a US town inside a county the story names


@functools.lru_cache(maxsize=1)
def _county_re() -> re.Pattern[str]:
    """A US county's name in running text ("Lamar County"): up to three capitalised words
    and a county word of ``divisions.yaml``."""
    words = "|".join(re.escape(w) for w in load_divisions().county_words)
    return re.compile(rf"\b((?:[A-Z][\w.'-]*\s){{1,3}}(?:{words}))\b")


def _county_names(text: str) -> set[str]:
    """The US county names a text has ("walker county"), each once."""
    counties = us_counties()
    out: set[str] = set()
    for m in _county_re().finditer(text):
        words = m.group(1).lower().split()
        # (the longest name the table has: "The DeKalb County" is DeKalb County)
        name = next((n for k in range(len(words) - 1)
                     if (n := " ".join(words[k:])) in counties), None)
        if name:
            out.add(name)
    return out


def _county_forms(text: str) -> list[str]:
    """A name with each county word of ``divisions.yaml``, lower case, as ``_county_names``
    gives them: "DeKalb" → ["dekalb county", "dekalb parish", …]."""
    return [f"{text} {w}".lower() for w in load_divisions().county_words]


def _county_votes(names: set[str]) -> Counter[str]:
    """Division votes from the US counties a text names: each county name (once) gives one
    vote, shared among the states that have a county of that name."""
    counties = us_counties()
    votes: Counter[str] = Counter()
    for name in names:
        states = counties.get(name)
        if states:
            for key in states:
                votes[key] += 1.0 / len(states)  # type: ignore[assignment]
    return votes


def _score(gaz: Gazetteer, m: Mention, i: int, focus_cc: Counter[str],
           focus_a1: Counter[str]) -> float:
    """Population (log10) + feature bonus + name-match quality + the document's focus.

    The first-pass choices of every mention of the same name are left out of the focus
    (``m.name_cc``), so "Georgia" said four times does not outvote the Georgia places around
    it.
    """
    f = gaz.feature[i]
    # (a division known only from its cities' names, without a GeoNames id, gets no bonus)
    bonus = _FEATURE_BONUS.get(f, 0.0) if gaz.ids[i] or f != FEATURE_ADM1 else 0.0
    s = math.log10(gaz.pop[i] + 1) + bonus + m.quality.get(i, 0.0)
    if i in m.in_county:
        s += _IN_COUNTY
    total = sum(focus_cc.values()) - sum(m.name_cc.values())
    c = gaz.cc[i]
    if total > 1e-9 and c:
        # (the story's other places speak with their number: one place alone, "officials
        # in Washington", gives half the weight, so Damascus stays Syria's capital)
        s += (_FOCUS_WEIGHT * min(1.0, total / _FOCUS_FULL)
              * (focus_cc[c] - m.name_cc[c]) / total)
    a1 = gaz.admin1_key(i)
    if a1 and f != FEATURE_ADM1 and focus_a1[a1] - m.name_a1[a1] > 0:
        s += _ADMIN1_FOCUS_BONUS
    # the division the document's other places lie in ("Rogersville" in a Tennessee paper)
    loc_a1, loc_w = m.own_local
    local_total = focus_a1[_LOCAL_TOTAL] - loc_w
    if a1 and f not in BROAD and local_total > 0:
        s += _LOCAL_WEIGHT * (focus_a1[_LOCAL + a1] - (loc_w if a1 == loc_a1 else 0.0)) \
            / local_total
    # the division the story's names have in common ("Henry County" and "Paris": Tennessee)
    if a1 and (f not in BROAD or f == FEATURE_ADM2) and focus_a1[_SHARED] > 1:
        s += _SHARED_WEIGHT * (focus_a1[_SHARED + a1] - 1) / (focus_a1[_SHARED] - 1)
    return s


def _in_county(gaz: Gazetteer, m: Mention, named: set[str]) -> frozenset[int]:
    """The candidates of ``m`` that are US towns inside a county of ``named`` and bear the
    mention's name ("Avondale" may be Avondale Estates; an alternate name, Mount Gilead
    for "Youngstown", does not count)."""
    text = plain(m.text, gaz.rules)
    return frozenset(i for i in m.cands if named.intersection(_counties_around(gaz, i))
                     and plain(gaz.names[i], gaz.rules).startswith(text))


def _counties_around(gaz: Gazetteer, i: int) -> tuple[str, ...]:
    """The counties a US town lies in, but for a county of its own name (DeKalb, Illinois
    in DeKalb County says nothing about which DeKalb County the story means)."""
    own = gaz.names[i].lower() + " "
    return tuple(c for c in gaz.counties_of(i) if not c.startswith(own))


def _shared_divisions(gaz: Gazetteer, mentions: list[Mention], named: set[str]
                      ) -> Counter[str]:
    """Per first-order division, how many of the story's names (each counted once) have a
    candidate town or county there; under ``_SHARED`` the number of such names. A county's
    name without its word ("DeKalb" beside "DeKalb County") is the county, counted once."""
    out: Counter[str] = Counter()
    seen: set[str] = set()
    for m in mentions:
        name = plain(m.text, gaz.rules)
        if name in seen or m.source == "demonym" or named.intersection(_county_forms(m.text)):
            continue
        keys = {gaz.admin1_key(i) for i in m.cands
                if gaz.feature[i] not in BROAD or gaz.feature[i] == FEATURE_ADM2} - {""}
        if not keys:
            continue
        seen.add(name)
        out[_SHARED] += 1
        for k in keys:
            out[_SHARED + k] += 1
    return out


def _resolve(gaz: Gazetteer, mentions: list[Mention], focus_cc: Counter[str],
             focus_a1: Counter[str]) -> None:
    for m in mentions:
        cands = m.cands
        if m.qualifier:
            q = m.qualifier
            kept = [i for i in cands if gaz.within(i, q) and gaz.feature[i] not in BROAD]
            if kept:
                cands = kept
        best, best_s = None, -1e9
        for i in cands:
            sc = _score(gaz, m, i, focus_cc, focus_a1)
            if sc > best_s or (sc == best_s and best is not None and gaz.ids[i] < gaz.ids[best]):
                best, best_s = i, sc
        m.choice, m.score = best, best_s


def _focus(gaz: Gazetteer, mentions: list[Mention]) -> tuple[Counter[str], Counter[str]]:
    cc: Counter[str] = Counter()
    a1: Counter[str] = Counter()
    local_seen: set[str] = set()
    name_cc: dict[str, Counter[str]] = defaultdict(Counter)
    name_a1: dict[str, Counter[str]] = defaultdict(Counter)
    # the divisions a name's candidates lie in, over all its mentions: a name is certain of
    # its division only if every mention of it is (a lone word's few populous candidates
    # do not make "Rogersville" certain when its tagged mentions have six)
    name_keys: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        name_keys[plain(m.text, gaz.rules)].update(gaz.admin1_key(j) for j in m.cands)
    for m in mentions:
        if m.choice is None:
            continue
        i = m.choice
        if not gaz.cc[i]:
            continue
        m.own_local = ("", 0.0)
        w = 2.0 if m.source == "dateline" else 1.0
        if gaz.feature[i] not in BROAD and len(m.cands) > 1:
            w *= 0.5
        cc[gaz.cc[i]] += w  # type: ignore[assignment]
        own_a1 = ""
        if gaz.feature[i] == FEATURE_ADM1:
            own_a1 = gaz.admin1_key(i)
            a1[own_a1] += 1
        name_cc[plain(m.text, gaz.rules)][gaz.cc[i]] += w  # type: ignore[assignment]
        if own_a1:
            name_a1[plain(m.text, gaz.rules)][own_a1] += 1
        # the division vote: only from names that leave no doubt about their division (a
        # state, or a place whose every candidate lies in one), once per name, so that
        # five "Gainesville"s do not outvote the state the text names
        keys = name_keys[plain(m.text, gaz.rules)]
        key = gaz.admin1_key(i)
        if m.qualifier and "." in m.qualifier:
            key, keys = m.qualifier, {m.qualifier}
        name = plain(m.text, gaz.rules)
        if key and len(keys) == 1 and gaz.feature[i] not in (FEATURE_CONT, FEATURE_COUNTRY) \
                and name not in local_seen:
            local_seen.add(name)
            lw = 2.0 if gaz.feature[i] == FEATURE_ADM1 or m.qualifier else 1.0
            a1[_LOCAL + key] += lw  # type: ignore[assignment]
            a1[_LOCAL_TOTAL] += lw  # type: ignore[assignment]
            m.own_local = (key, lw)
        if m.qualifier:
            if "." in m.qualifier:
                a1[m.qualifier] += 1
                cc[m.qualifier.split(".")[0]] += 1
            else:
                cc[m.qualifier] += 1
    for m in mentions:
        m.name_cc = name_cc[plain(m.text, gaz.rules)]
        m.name_a1 = name_a1[plain(m.text, gaz.rules)]
    return cc, a1


def _container(doc: Doc, gaz: Gazetteer, m: Mention, by_start: dict[int, Mention],
               parts: frozenset[str]) -> tuple[Mention, bool, bool] | None:
    """The mention a place is said to lie in, whether a part word says so and whether "of"
    does: "X <part> of Y", "X, a <part> in Y", "X <part> in Y", "X in Y province" (Y
    followed by a division word). None for anything else ("X north of Y", "Moscow in
    Syria"), and for a demonym ("the Syrian city of Homs")."""
    if m.start < 0 or m.source == "demonym":
        return None
    j, n = m.end, len(doc)
    if j < n and doc[j].text == ",":
        j += 1
        if j < n and doc[j].lower_ in ("a", "an", "the"):
            j += 1
    part = j < n and doc[j].lower_ in parts
    if part:
        j += 1
    if j >= n or doc[j].lower_ not in ("of", "in"):
        return None
    word = doc[j].lower_
    j += 1
    if j < n and doc[j].lower_ == "the":
        j += 1
    c = by_start.get(j)
    if c is None or c.choice is None or c is m:
        return None
    if word == "in" and not part and not (
            c.end < n and doc[c.end].lower_ in gaz.divisions.words):
        return None
    if word == "of" and not part:
        return None
    if m.end != j and doc[m.end].text == "," and not part:
        return None
    return c, part, word == "of"


def _inside(gaz: Gazetteer, i: int, c: int) -> bool:
    """Whether entry ``i`` lies inside entry ``c`` (its country, or its first-order
    division when ``c`` is a division or a town)."""
    if i == c or not gaz.cc[i] or gaz.cc[i] != gaz.cc[c]:
        return False
    if gaz.feature[c] in (FEATURE_COUNTRY, FEATURE_CONT):
        return True
    return bool(gaz.admin1_key(c)) and gaz.admin1_key(i) == gaz.admin1_key(c)


def _contained(ctx: DocContext, gaz: Gazetteer, mentions: list[Mention],
               focus_cc: Counter[str], focus_a1: Counter[str]) -> list[Mention]:
    """Mentions said to lie inside another ("the Salah al-Din district of Aleppo", "Saraqib
    in Idlib province") choose among their candidates inside it; one with a part word and
    no candidate inside is left unresolved."""
    parts = spot_words_of(ctx.resources).parts
    by_start = {m.start: m for m in mentions if m.start >= 0}
    out = []
    for m in mentions:
        choice = m.choice
        found = _container(ctx.doc, gaz, m, by_start, parts) if choice is not None else None
        if found is not None and choice is not None and gaz.feature[choice] in (
                FEATURE_COUNTRY, FEATURE_CONT):
            found = None  # a country does not lie in a town
        if (found is not None and choice is not None and found[2]
                and found[0].choice is not None
                and gaz.cc[choice] == gaz.cc[found[0].choice]):
            # "the Damascus suburb of Daraya": "of" may name the part, not the whole; only
            # a place in another country than Y is certainly wrong
            found = None
        if found is not None:
            c, part, _ = found
            assert c.choice is not None
            inside = [i for i in m.cands if _inside(gaz, i, c.choice)]
            if inside and m.choice not in inside:
                m.choice = max(inside, key=lambda i: (_score(gaz, m, i, focus_cc, focus_a1),
                                                      -gaz.ids[i]))
            elif not inside and part:
                continue
        out.append(m)
    return out


def _one_sense(gaz: Gazetteer, doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Every mention of a name gets the candidates of all its mentions (one sense per
    story): "Hanover" read as an organisation (only Jamaica's parish, a division) and tagged
    as a place elsewhere (seventeen towns) is one place. Not for a name before a division
    word ("Aleppo province": the division), qualified names, demonyms and the dateline."""
    def own(m: Mention) -> bool:
        return (m.start >= 0 and not m.qualifier and m.source != "demonym"
                and not (m.end < len(doc) and doc[m.end].lower_ in gaz.divisions.words))

    union: dict[str, dict[int, float]] = defaultdict(dict)
    for m in mentions:
        if own(m):
            q = union[plain(m.text, gaz.rules)]
            for i in m.cands:
                q[i] = max(q.get(i, -9.0), m.quality.get(i, 0.0))
    out = []
    for m in mentions:
        if own(m):
            q = union[plain(m.text, gaz.rules)]
            if len(q) > len(m.cands):
                m.cands, m.quality = list(q), dict(q)
                m.pool = [i for i in m.pool if i not in q]
        if m.cands or m.pool:
            out.append(m)
    return out


def _from_pool(gaz: Gazetteer, mentions: list[Mention], focus_a1: Counter[str]
               ) -> list[Mention]:
    """A name kept only for its broad candidates (or none) takes back its towns inside a
    first-order division the story names or is sure of ("Paris Public Library" with
    Illinois named: Paris, Illinois); one with no candidate left is dropped."""
    def sure(i: int) -> bool:
        return focus_a1[gaz.admin1_key(i)] > 0 or focus_a1[_LOCAL + gaz.admin1_key(i)] > 0

    out = []
    for m in mentions:
        # (a county of the story's state already among its candidates is the reading: "in
        # Barrow, Jackson and Madison counties" with Georgia named)
        if m.pool and not any(sure(i) for i in m.cands if gaz.feature[i] == FEATURE_ADM2):
            here = [i for i in m.pool if sure(i)]
            if here:
                m.cands = m.cands + here
                for i in here:
                    m.quality.setdefault(i, 0.5)
        if m.cands:
            out.append(m)
    return out


def _story_towns(gaz: Gazetteer, mentions: list[Mention]) -> dict[str, int]:
    """Per US state, the town the story names most there: it chooses among the states a
    county name has, and stands for a county the ZIP table does not place (such a county
    is at its state's centre when the story names no town there)."""
    counts: Counter[int] = Counter(m.choice for m in mentions if m.choice is not None
                                   and gaz.feature[m.choice] not in BROAD
                                   and gaz.feature[m.choice] != FEATURE_ADM2)
    towns: dict[str, int] = {}
    for i, _ in counts.most_common():
        towns.setdefault(gaz.admin1_key(i), i)
    return towns


def _county_short_names(gaz: Gazetteer, mentions: list[Mention]) -> None:
    """A county's name without its word, in a story that names the county ("DeKalb" beside
    "DeKalb County"), is a town of that name in the county's state, or else the county:
    not DeKalb, Illinois in a story of DeKalb County, Georgia."""
    chosen: dict[str, int] = {}
    for m in mentions:
        if m.choice is not None and gaz.feature[m.choice] == FEATURE_ADM2:
            chosen.setdefault(gaz.names[m.choice].lower(), m.choice)
    if not chosen:
        return
    for m in mentions:
        i = m.choice
        if i is None or gaz.feature[i] in BROAD or m.qualifier or m.source == "dateline":
            continue
        county = next((chosen[k] for k in _county_forms(m.text) if k in chosen), None)
        if county is None or gaz.admin1_key(i) == gaz.admin1_key(county):
            continue
        there = [k for k in m.cands if gaz.admin1_key(k) == gaz.admin1_key(county)
                 and gaz.feature[k] not in BROAD]
        m.choice = max(there, key=lambda k: (gaz.pop[k], -gaz.ids[k])) if there else county


#: a place further than this from every other place of the story is suspect ...
_STRAY_KM = 300.0
#: ... when another sense of its name lies this close to one of them
_NEAR_KM = 50.0


def _near_the_story(gaz: Gazetteer, mentions: list[Mention]) -> None:
    """Spatial coherence: a town or county chosen more than ``_STRAY_KM`` from every other
    town of the story takes the sense of its name that lies within ``_NEAR_KM`` of one of
    them (Marion, Illinois beside West Memphis, Arkansas: Marion, Arkansas, across the
    state line the division focus cannot see). Qualified names, the dateline, capitals and
    cities of ``_POP_ALONE`` people keep theirs."""
    local = [m for m in mentions if m.choice is not None and gaz.feature[m.choice] not in BROAD]
    for m in local:
        i = m.choice
        if m.qualifier or m.source == "dateline" or i is None or (
                gaz.feature[i] == FEATURE_CAPITAL or gaz.pop[i] >= _POP_ALONE):
            continue  # a capital or a large city stands on its own (Damascus, Washington)
        name = plain(m.text, gaz.rules)
        points = [(gaz.lat[o.choice], gaz.lon[o.choice]) for o in local
                  if o.choice is not None and plain(o.text, gaz.rules) != name]
        senses = [k for k in m.cands if gaz.feature[k] not in BROAD and gaz.own_point(k)]
        if not points or len(senses) < 2 or i not in senses:
            continue
        gaps = {k: min(haversine_km(gaz.lat[k], gaz.lon[k], la, lo) for la, lo in points)
                for k in senses}
        if gaps[i] <= _STRAY_KM:
            continue
        best = min(senses, key=gaps.__getitem__)
        if gaps[best] <= _NEAR_KM:
            m.choice = best


def _far_from_story(gaz: Gazetteer, m: Mention, focus_cc: Counter[str]) -> bool:
    """A small place in a country nothing else in the story lies in ("Madaya" of Myanmar in
    a story of Damascus and Syria): left unresolved unless something vouches for it (a
    qualifier, the dateline). Countries, divisions, regions, capitals and large cities
    stand on their own."""
    i = m.choice
    if i is None or m.source == "dateline" or m.qualifier:
        return False
    if gaz.feature[i] in BROAD or gaz.feature[i] == FEATURE_CAPITAL \
            or gaz.pop[i] >= _POP_ALONE:
        return False
    c = gaz.cc[i]
    others = sum(focus_cc.values()) - sum(m.name_cc.values())
    return others >= _FAR_MIN_VOTES and focus_cc[c] - m.name_cc[c] <= 0


def _is_metonym(gaz: Gazetteer, doc: Doc, m: Mention) -> bool:
    if m.choice is None or m.start < 0:
        return False
    if gaz.feature[m.choice] not in (FEATURE_COUNTRY, FEATURE_CAPITAL):
        return False
    root = doc[m.start:m.end].root
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ in ("compound", "amod", "nmod") and tok.head.i >= m.end:
        # a modifier of a government noun: "its Damascus ally", "the Damascus government"
        return tok.head.lemma_.lower() in gaz.metonym_nouns
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    lemmas = {verb.lemma_.lower()}
    lemmas.update(c.lemma_.lower() for c in verb.children if c.dep_ == "xcomp")
    return bool(lemmas & gaz.metonym_verbs)


def extract(ctx: DocContext) -> list[Place]:
    """Every resolved place mention of the document (plus its dateline place), in order."""
    gaz = gazetteer_of(ctx)
    mentions = find_mentions(ctx, gaz)
    mentions += spot_mentions(ctx, gaz, mentions)
    if not mentions:
        return []
    settle_qualifiers(gaz, mentions)
    _resolve(gaz, mentions, Counter(), Counter())
    focus_cc, focus_a1 = _focus(gaz, [m for m in mentions if not m.weak])
    kept = []
    for m in mentions:
        if m.weak:
            m.cands = [i for i in m.cands if gaz.feature[i] in BROAD
                       or gaz.feature[i] == FEATURE_CAPITAL
                       or gaz.pop[i] >= MIN_POP_UNTAGGED_ONE_WORD or focus_cc[gaz.cc[i]] > 0]
            if not m.cands:
                continue
        kept.append(m)
    mentions = _one_sense(gaz, ctx.doc, kept)
    focus_cc, focus_a1 = _focus(gaz, mentions)
    mentions = _from_pool(gaz, mentions, focus_a1)
    focus_cc, focus_a1 = _focus(gaz, mentions)
    # the counties the story names vote for their state's places ("Lamar County" → Paris, Tex.)
    named = _county_names(ctx.text)
    for key, v in _county_votes(named).items():
        focus_a1[_LOCAL + key] += v * _COUNTY_VOTES  # type: ignore[assignment]
        focus_a1[_LOCAL_TOTAL] += v * _COUNTY_VOTES  # type: ignore[assignment]
        focus_cc["US"] += v * _COUNTY_CC  # type: ignore[assignment]
    focus_a1.update(_shared_divisions(gaz, mentions, named))
    if named:  # a town of the county the story names ("Huntsville" and "Walker County")
        for m in mentions:
            m.in_county = _in_county(gaz, m, named)
    _resolve(gaz, mentions, focus_cc, focus_a1)
    mentions = _contained(ctx, gaz, mentions, focus_cc, focus_a1)
    mentions = [m for m in mentions if not _far_from_story(gaz, m, focus_cc)]
    out: list[Place] = []
    seen: set[tuple[int, int]] = set()
    towns = _story_towns(gaz, mentions)
    counties = [m for m in mentions
                if m.choice is not None and gaz.feature[m.choice] == FEATURE_ADM2]
    # the counties the story's towns lie in, by state ("US.MN|douglas county" for Alexandria)
    holding = {f"{gaz.admin1_key(m.choice)}|{c}" for m in mentions if m.choice is not None
               for c in _counties_around(gaz, m.choice)} if counties else set()
    for m in counties:  # a county of several states: the one the story's towns are in
        here = [i for i in m.cands if f"{gaz.admin1_key(i)}|{gaz.names[i].lower()}" in holding]
        if here:
            if m.choice not in here:
                m.choice = here[0]
            continue
        here = [i for i in m.cands if gaz.admin1_key(i) in towns]
        if here and m.choice not in here:
            order = list(towns)
            m.choice = min(here, key=lambda i: order.index(gaz.admin1_key(i)))
    _county_short_names(gaz, mentions)
    _near_the_story(gaz, mentions)
    for m in sorted(mentions, key=lambda x: x.char_start):
        i = m.choice
        if i is None or (m.char_start, m.char_end) in seen:
            continue
        seen.add((m.char_start, m.char_end))
        # (a county the ZIP table does not place stands at the story's town in its state)
        at = i if gaz.own_point(i) else towns.get(gaz.admin1_key(i), i)
        if m.source == "dateline":
            role = "dateline"
        elif m.source in ("demonym", "embedded"):
            role = m.source
        elif _is_metonym(gaz, ctx.doc, m):
            role = "metonym"
        else:
            role = "mention"
        out.append(Place(
            doc_id=ctx.doc_id,
            start=m.char_start,
            end=m.char_end,
            text=ctx.article.text[m.char_start:m.char_end],  # (the original, whatever was parsed)
            geonameid=gaz.ids[i] or None,
            name=gaz.names[i],
            country=gaz.country3(i),
            lat=round(gaz.lat[at], 5),
            lon=round(gaz.lon[at], 5),
            feature=gaz.feature[i],
            role=role,
            admin1=gaz.admin1_name(i),
            score=round(m.score, 3),
        ))
    return out

