"""Actors: common-noun actors — "Iranian advisors", "the Saudi regime", "his country",
"the minister", "opposition groups in Zimbabwe".

A noun phrase whose head is a sector term (``sectors.yaml``) is an actor of the countries
its modifiers name (``countries_of``: demonyms, country names, possessives, pronouns); a
country noun with "the" or a possessive is the country meant; "the minister" is the last
person with that role.
"""

from __future__ import annotations

from spacy.attrs import POS
from spacy.tokens import Token

from ..boilerplate import token_column
from .coref import group_target, pronoun_target
from .entries import SPECIAL_CODES
from .focus import focus_near, place_focus
from .mentions import Mention
from .state import DocState

__all__ = ["countries_of", "nominals"]


def nominals(r: DocState) -> None:
    """Common-noun actors: "Iranian advisors", "Saudi regime", "the country's government",
    "the minister" (→ the last person with that role), "the terrorist organizations"."""
    doc = r.doc
    placeless: list[Mention] = []
    poses = token_column(doc, POS)
    for i, pos in enumerate(poses):
        if pos not in ("NOUN", "PROPN") or i in r.taken or i in r.skip:
            continue
        t = r.toks[i]
        if t.dep_ in ("compound", "amod", "nmod") and t.head.pos_ in ("NOUN", "PROPN"):
            continue  # a modifier ("press conference"), not the head of a phrase
        if t.lower_ in r.lex.country_nouns:
            _country_noun(r, t)
            continue
        if (t.ent_type_ == "NORP" and t.tag_ in ("NNS", "NNPS")) or (
            t.tag_ == "NNPS" and any(r.demonym_of(c) for c in t.children if c.i < t.i)
        ):
            # "Iraqi Kurds", "ethnic Albanians": a people
            countries, _, left = _np_countries(r, t, t.i)
            if any(c.dep_ == "amod" and c.lemma_.lower() in r.pron.diaspora_modifiers
                   for c in t.children):
                other = focus_near(r, left, t.i + 1, exclude=countries[0] if countries else None)
                if other is not None:
                    countries = [other]
            r.add(Mention(left, t.i + 1, t.i, None, countries[0] if countries else None,
                          "CVL", None, "group", "demonym" if countries else "ner"))
            continue
        lem = r.lemmas
        hit = r.lex.match_at(lem, t.i + 1)
        if hit is None:
            continue
        start, sector = hit
        if any(i in r.taken for i in range(start, t.i + 1)):
            start = t.i
            sector = r.lex.terms.get((lem[t.i],)) or ""
            if not sector:
                continue
        if t.i + 1 < len(doc) and r.toks[t.i + 1].i in r.taken and r.toks[t.i + 1].ent_type_ == "PERSON":
            continue  # a title before a name
        if any(c.dep_ in ("compound", "nmod") and c.i < t.i and r.by_token.get(c.i) and
               r.by_token[c.i].kind in ("org", "group") for c in t.children):
            continue  # "the Taliban religious faction" is the Taliban
        if any(c.dep_ in ("compound", "appos", "flat") and c.i in r.taken and
               r.by_token.get(c.i) and r.by_token[c.i].kind == "person"
               for c in t.children):
            continue
        countries, mod_sector, left = _np_countries(r, t, start)
        if not countries and not mod_sector and _anonymous_means(r, t, start):
            continue  # "a barrage of air strikes": a means, no party
        if mod_sector:
            sector = mod_sector
        kind = "group"
        name = None
        kb_id = None
        how = "title"
        # "the minister" → the last person with that role
        if t.lemma_.lower() in r.lex.person_titles and t.tag_ in ("NN", "NNP") and not countries:
            det = [c for c in t.children if c.dep_ == "det" and c.lower_ == "the"]
            p = r.last_person_with(t.lemma_.lower(), t.i) if det else None
            if p is not None:
                r.add(Mention(left, t.i + 1, t.i, p.name, p.country, p.sector, p.kb_id,
                              "person", "coref", role=p.role))
                continue
        if not countries and sector == "GOV" and t.lemma_.lower() in r.lex.government_nouns and any(c.lower_ == "the" for c in t.children):
            focus = r.country_after(t.i) or r.focus_country(t.i)
            if focus:
                countries = [focus]
                how = "coref"
        country = countries[0] if countries else None
        if country:
            entry = r.kb.country(country)
            name = entry.name if entry else None
        m = Mention(left, t.i + 1, t.i, name, country, sector, kb_id, kind,
                    "demonym" if country and how == "title" else how)
        for c in countries[1:]:
            entry = r.kb.country(c)
            m.alts.append((c, entry.name if entry else None))
        r.add(m)
        if country is None:
            placeless.append(m)
    # a group the phrase places nowhere ("demonstrators", "Shona rebels", "refugees
    # fleeing the war in Liberia") is of the country where its sentence (or the story)
    # happens; failing any place, of the country its sentence names
    for m in placeless:
        focus = place_focus(r, m.start, m.end) or focus_near(
            r, m.start, m.end, sentence_only=True)
        if focus is not None:
            entry = r.kb.country(focus)
            m.country, m.name, m.resolved_by = focus, entry.name if entry else None, "coref"


def _country_noun(r: DocState, t: Token) -> None:
    """"his country" → the country of the person 'his' is; "the country" → the country
    in focus (the last one named before it)."""
    poss = [c for c in t.children if c.dep_ == "poss"]
    det = [c for c in t.children if c.dep_ == "det" and c.lower_ == "the"]
    if not poss and not det:
        return
    if poss and poss[0].lower_ not in r.pron.person | r.pron.plural | r.pron.singular:
        return
    if t.dep_ == "pobj" and t.head.lower_ in r.pron.locative_preps:
        return
    countries = countries_of(r, t)
    if not countries:
        return
    entry = r.kb.country(countries[0])
    start = poss[0].i if poss else t.i
    m = Mention(start, t.i + 1, t.i, entry.name if entry else None, countries[0],
                "GOV", entry.kb_id if entry else None, "country", "coref")
    for c in countries[1:]:
        other = r.kb.country(c)
        m.alts.append((c, other.name if other else None))
    r.add(m)


def _anonymous_means(r: DocState, head: Token, term_start: int) -> bool:
    """An armed means (``instruments``: "air strikes", "missiles") that no modifier says
    whose: not a party ("regime airstrikes", "ISIS missiles" are)."""
    term = " ".join(r.lemmas[term_start:head.i + 1])
    if term not in r.lex.instruments and r.lemmas[head.i] not in r.lex.instruments:
        return False
    for c in head.children:
        if c.i >= term_start or c.dep_ not in ("compound", "amod", "nmod", "poss"):
            continue
        if (c.i in r.taken or c.ent_type_ in ("NORP", "ORG", "GPE", "PERSON")
                or (c.lemma_.lower(),) in r.lex.terms):
            return False
    return True


def _np_countries(r: DocState, head: Token, term_start: int) -> tuple[list[str], str | None, int]:
    """Countries named by the modifiers of a noun phrase, a modifier sector and the
    phrase's first token (the determiner excluded)."""
    countries: list[str] = []
    mod_sector: str | None = None
    left = term_start
    for c in head.children:
        if c.i > head.i:
            if c.dep_ == "prep" and c.lower_ in r.pron.focus_preps:
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = countries_of(r, p)
                        if not found and p.i in r.place_country:
                            found = [r.place_country[p.i]]  # "militias in Tripoli"
                        if not found:
                            # "leaders of Romania's new government"
                            for g in p.children:
                                if g.dep_ in ("poss", "amod", "compound", "nmod") and g.i < p.i:
                                    found.extend(countries_of(r, g))
                        countries.extend(found)
            continue
        if c.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod"):
            found = countries_of(r, c)
            if found:
                countries.extend(found)
                left = min(left, c.left_edge.i if c.dep_ != "poss" else c.i)
                if c.dep_ == "poss":
                    left = min(left, c.left_edge.i)
                continue
            low = c.lemma_.lower()
            if low in r.lex.modifiers and c.i < term_start:
                mod_sector = r.lex.modifiers[low]
                left = min(left, c.i)
            elif c.dep_ == "compound":
                # "Israeli intelligence officials": the modifier's own modifiers
                for cc in c.children:
                    if cc.i < c.i and cc.lemma_.lower() in r.lex.modifiers:
                        mod_sector = r.lex.modifiers[cc.lemma_.lower()]
    # linear fallback: "Saudi regime" where the parse attaches elsewhere
    if not countries:
        i = term_start - 1
        while i >= 0 and _doc_ok(r.toks[i]):
            iso = r.demonym_of(r.toks[i])
            if iso is not None:
                countries.append(iso)
                left = r.demonym_tok[i][0]
                break
            if r.toks[i].pos_ not in ("ADJ", "NOUN", "PROPN"):
                break
            i -= 1
    while left < head.i and r.toks[left].pos_ in ("DET", "PUNCT"):
        left += 1
    return list(dict.fromkeys(countries)), mod_sector, left


def countries_of(r: DocState, tok: Token) -> list[str]:
    """Countries a modifier names: demonyms (and their conjuncts), country names,
    possessives ("Russia's", "his", "the country's")."""
    out: list[str] = []
    for t in [tok, *[c for c in tok.children if c.dep_ == "conj"]]:
        iso = r.demonym_of(t)
        if iso is not None:
            out.append(iso)
            continue
        m = r.by_token.get(t.i)
        if m is not None and m.country and m.kind in ("country", "group", "person", "org"):
            out.append(m.country)
            continue
        if t.lower_ in r.lex.country_nouns:
            poss = [c for c in t.children if c.dep_ == "poss"]
            if poss and poss[0].lower_ in r.pron.person:
                pm = pronoun_target(r, poss[0])
                if pm is not None and pm.country:
                    out.append(pm.country)
                    continue
            if poss and poss[0].pos_ == "PRON" and (
                poss[0].lower_ in r.pron.plural or poss[0].lower_ in r.pron.singular
            ):
                gm = group_target(r, poss[0])
                if gm is not None and gm.country:
                    # "their countries" after "Hungarian and Romanian officials"
                    out.extend(c for c in (gm.country, *(a for a, _ in gm.alts)) if c)
                    continue
            focus = r.focus_country(t.i)
            if focus:
                out.append(focus)
        elif t.pos_ == "PRON" and t.lower_ in r.pron.person:
            pm = pronoun_target(r, t)
            if pm is not None and pm.country and pm.country not in SPECIAL_CODES:
                out.append(pm.country)
        elif t.pos_ == "PRON" and (t.lower_ in r.pron.plural or t.lower_ in r.pron.singular):
            gm = group_target(r, t)  # "their forces", "its troops"
            if gm is not None and gm.country:
                out.extend(c for c in (gm.country, *(a for a, _ in gm.alts)) if c)
    return out


def _doc_ok(tok: Token) -> bool:
    return not (tok.is_punct or tok.is_space or tok.pos_ in ("DET", "ADP", "VERB", "AUX"))
