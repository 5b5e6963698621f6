"""Features the trained event models read: general properties of the parse, never sentences.

Two kinds of example, each a mapping of feature name → value:

- a **trigger candidate** (one token the rules propose): its word, lemma, part of speech and
  dependency; what the lexicon says of the lemma (every type its entries name, the entry
  that matched, the event the rules coded there); its syntactic frame (argument relations,
  prepositions, particles, object lemma, auxiliaries, negation); the governing verb and
  whether the token sits in a speech verb's complement or under another trigger;
- a **(trigger, mention) pair**: the dependency path between them (steps up ``^`` and down
  ``v``, with prepositions), its length, direction and voice, the mention's dependency,
  entity type, part of speech, what the actor resolver knows of it (country, sector,
  kind), and the role the rules gave it.

Lexicalised conjunctions (lemma × path) are few and regularised in training; everything
else generalises across words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LIKE_NUM, LOWER, ORTH, POS, TAG
from spacy.tokens import Doc, Span, Token

from ..boilerplate import token_column, token_columns
from .clusters import WordClusters
from .lexicon import Cues

__all__ = ["dep_path", "doc_tree", "mention_features", "path_features", "role_examples",
           "sentence_lemmas", "trigger_features"]

#: how many steps of a dependency path are spelled out; longer paths are "far"
MAX_STEPS = 4
#: parts of speech whose lemmas describe the event's content
_CONTENT = frozenset({"NOUN", "VERB", "PROPN", "ADJ"})
#: weight of the sentence's bag of lemmas (context, not the trigger's own frame)
_SENT_WEIGHT = 0.3
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "agent", "attr", "oprd",
                       "xcomp", "ccomp", "advcl", "acomp", "pobj", "prep", "prt", "neg",
                       "aux", "auxpass", "csubj", "npadvmod", "advmod", "acl", "relcl"})


class _Tree:
    """A document's dependency tree as plain lists (head index, relation, lower-case
    word, lemma, part of speech, tag and entity type per token), read once: paths are then
    walked, pairs and trigger candidates described without making spaCy tokens."""

    __slots__ = ("_kids", "deps", "ents", "heads", "lemmas", "lowers", "poses", "tags", "ups")

    def __init__(self, doc: Doc) -> None:
        # uint64: the head offset wraps when < 0
        heads, self.deps, self.lowers, self.poses, self.ents, self.lemmas, self.tags = (
            token_columns(doc, [HEAD, DEP, LOWER, POS, ENT_TYPE, LEMMA, TAG]))
        # uint64 in the array: a head before its token wraps around
        self.heads = (np.asarray(heads, dtype=np.uint64).astype(np.int64)
                      + np.arange(len(doc))).tolist()
        self.ups: dict[int, list[int]] = {}
        self._kids: list[list[int]] | None = None

    def children(self, i: int) -> list[int]:
        """The tokens whose head is ``i``, in text order (as ``Token.children``)."""
        if self._kids is None:
            kids: list[list[int]] = [[] for _ in self.heads]
            for j, h in enumerate(self.heads):
                if h != j:
                    kids[h].append(j)
            self._kids = kids
        return self._kids[i]

    def ancestors(self, i: int) -> list[int]:
        """``i`` and its heads up to the root (at most 60)."""
        found = self.ups.get(i)
        if found is None:
            found = [i]
            heads = self.heads
            while heads[found[-1]] != found[-1] and len(found) < 60:
                found.append(heads[found[-1]])
            self.ups[i] = found
        return found


def doc_tree(doc: Doc) -> _Tree:
    """The document's ``_Tree``, read once (kept in ``doc.user_data``)."""
    return _tree(doc)


def _tree(doc: Doc) -> _Tree:
    tree: _Tree | None = doc.user_data.get("dragoman_tree")
    if tree is None or len(tree.heads) != len(doc):
        tree = _Tree(doc)
        doc.user_data["dragoman_tree"] = tree
    return tree


def dep_path(a: Token, b: Token) -> list[str] | None:
    """Steps from ``a`` to ``b``: ``^dep`` up from a token to its head, ``vdep`` down to a
    child (``vprep:with`` names the preposition); None when they are not in one tree."""
    tree = _tree(a.doc)
    up = tree.ancestors(a.i)
    return _path(tree, up, {t: k for k, t in enumerate(up)}, b.i)


def _path(tree: _Tree, up: list[int], pos: dict[int, int], b: int) -> list[str] | None:
    """``dep_path`` from the token whose ancestors are ``up`` (``pos``: each one's place
    in ``up``) to token ``b``."""
    down = tree.ancestors(b)
    j = next((k for k, t in enumerate(down) if t in pos), None)
    if j is None:
        return None
    k = pos[down[j]]
    deps, lowers = tree.deps, tree.lowers
    steps = [f"^{deps[t]}" for t in up[:k]]
    for t in reversed(down[:j]):
        steps.append(f"vprep:{lowers[t]}" if deps[t] == "prep" else f"v{deps[t]}")
    return steps


#: ``path_features`` of the paths met (there are a few hundred), by path
_PATH_FEATURES: dict[tuple[str, ...] | None, dict[str, float]] = {}


def _path_features(path: list[str] | None) -> dict[str, float]:
    """A new dict of ``path_features(path)``, built once per distinct path."""
    key = tuple(path) if path is not None else None
    found = _PATH_FEATURES.get(key)
    if found is None:
        if len(_PATH_FEATURES) >= 100_000:
            _PATH_FEATURES.clear()
        found = _PATH_FEATURES[key] = path_features(path)
    return dict(found)


def path_features(path: list[str] | None) -> dict[str, float]:
    if path is None:
        return {"path=none": 1.0}
    n = len(path)
    feats: dict[str, float] = {f"path_len={min(n, MAX_STEPS + 1)}": 1.0}
    if n <= MAX_STEPS:
        feats["path=" + " ".join(path)] = 1.0
    else:
        feats["path=far"] = 1.0
    if path:
        feats["first=" + path[0]] = 1.0
        feats["last=" + path[-1]] = 1.0
        if n >= 2:
            feats["first2=" + " ".join(path[:2])] = 1.0
    for s in path:
        if s.startswith(("vprep:", "^prep")):
            feats["via=" + s] = 1.0
    if any(s.startswith("^") for s in path) and any(s.startswith("v") for s in path):
        feats["path_bends"] = 1.0
    return feats


def _frame(tree: _Tree, kids: list[int]) -> Iterable[str]:
    """The frame names of a token with children ``kids``."""
    deps, lowers, ents = tree.deps, tree.lowers, tree.ents
    for c in kids:
        dep = deps[c]
        if dep in _ARG_DEPS:
            yield f"child={dep}"
        if dep == "prep":
            yield f"prep={lowers[c]}"
        elif dep == "prt":
            yield f"prt={lowers[c]}"
        elif dep in ("dobj", "attr", "oprd"):
            yield f"obj={tree.lemmas[c].lower()}"
            if ents[c]:
                yield f"obj_ent={ents[c]}"
        elif dep in ("nsubj", "nsubjpass"):
            if ents[c]:
                yield f"subj_ent={ents[c]}"
            yield f"subj_pos={tree.poses[c]}"
        elif dep in ("aux", "auxpass") and lowers[c] not in ("be", "is", "was", "were", "are"):
            yield f"aux={lowers[c]}"
        elif dep == "neg":
            yield "neg"
        elif dep in ("amod", "compound") and ents[c]:
            yield f"mod_ent={ents[c]}"


#: the words around a trigger candidate, and their features' prefixes ("w-2=" …)
_WINDOW = tuple((k, f"w{k:+d}=") for k in (-2, -1, 1, 2))

def trigger_features(
    tok: Token,
    lex_types: Iterable[str],
    matched: tuple[str, str | None] | None,
    rule: tuple[str, bool, bool] | None,
    governed: bool,
    in_speech: bool,
    is_speech: bool,
    sent: Span | None = None,
    cues: Cues | None = None,
    clusters: WordClusters | None = None,
    above: tuple[frozenset[str], bool] | None = None,
) -> dict[str, float]:
    """Features of one trigger candidate (``sent``: its sentence, when the caller has it;
    ``cues``: the lexicon's closed-class words, for the statistic features; ``clusters``:
    the word classes, for the class features, ``_class_features``; ``above``: the lexicon
    types of the first trigger word up the tree, and whether it is the token's own head).

    ``lex_types``: the types of every lexicon entry of the token's lemma; ``matched``:
    (type, mode) of the entry whose constraints the token meets; ``rule``: (type, has
    actor, has recipient) of the event the rules coded at this token.
    """
    # the token, its head and its children read from the doc's columns (``_Tree``)
    tree = _tree(tok.doc)
    i = tok.i
    lemmas, poses = tree.lemmas, tree.poses
    lemma, pos, dep = lemmas[i].lower(), poses[i], tree.deps[i]
    head = tree.heads[i]
    head_lemma = lemmas[head].lower()
    kids = tree.children(i)
    f: dict[str, float] = {
        "bias": 1.0,
        f"lemma={lemma}": 1.0,
        f"pos={pos}": 1.0,
        f"tag={tree.tags[i]}": 1.0,
        f"dep={dep}": 1.0,
        f"lemma|pos={lemma}|{pos}": 1.0,
        f"head={head_lemma}": 1.0,
        f"dep|headpos={dep}|{poses[head]}": 1.0,
    }
    types = sorted(set(lex_types))
    for t in types:
        f[f"lex={t}"] = 1.0
    if not types:
        f["lex=none"] = 1.0
    if matched is not None:
        f[f"match={matched[0]}"] = 1.0
        if matched[1]:
            f[f"match_mode={matched[0]}/{matched[1]}"] = 1.0
    else:
        f["match=none"] = 1.0
    if rule is not None:
        f[f"rule={rule[0]}"] = 1.0
        f[f"rule_args={int(rule[1])}{int(rule[2])}"] = 1.0
    else:
        f["rule=none"] = 1.0
    for name in _frame(tree, kids):
        f[name] = 1.0
    if dep in ("xcomp", "ccomp", "dobj", "pobj", "advcl", "conj"):
        f[f"gov={head_lemma}"] = 1.0
        f[f"gov|dep={head_lemma}|{dep}"] = 1.0
    if governed:
        f["governed"] = 1.0
    if in_speech:
        f["in_speech"] = 1.0
    if is_speech:
        f["speech_verb"] = 1.0
    if tree.ents[i]:
        f[f"ent={tree.ents[i]}"] = 1.0
    if cues is not None:
        for name in _statistic(tree, tok.doc, kids, cues):
            f[name] = 1.0
    for c in kids:
        if poses[c] in _CONTENT:
            f[f"child_lemma={lemmas[c].lower()}"] = 1.0
            if tree.deps[c] in ("nsubj", "nsubjpass"):
                f[f"subj={lemmas[c].lower()}"] = 1.0
    if sent is None:
        sent = tok.sent
    first, end = sent.start, sent.end
    for k, name in _WINDOW:
        j = i + k
        if first <= j < end:
            f[name + lemmas[j].lower()] = 1.0
    # the sentence's lemmas, but the token itself is not its own context (unless repeated)
    f.update(_sentence_weights(sent))
    if pos in _CONTENT:
        own = f"sent={lemma}"
        if sentence_lemmas(sent).get(own) == 1:
            del f[own]
    if clusters is not None:
        _class_features(f, tree, i, kids, sent, clusters)
    if above is not None:
        # an event named as the topic of another ("blamed X for the attack")
        for t in sorted(above[0]):
            f[f"anc_lex={t}"] = 1.0
            if above[1]:
                f[f"gov_lex={t}"] = 1.0
    return f


def _class_features(f: dict[str, float], tree: _Tree, i: int, kids: list[int], sent: Span,
                    clusters: WordClusters) -> None:
    """The word classes (``clusters``) of the candidate's lemma (``ct``), its content
    children (``ck``), its head (``cg``), the ±2 words (``cw``) and, weighted as the
    sentence's lemmas are, the other content words of its sentence (``cs``): what the
    lemma features say of words seen in training, said of a class."""
    lemmas, poses = tree.lemmas, tree.poses
    own = clusters.of(lemmas[i])
    for s in own:
        f["ct" + s] = 1.0
    if not own:
        f["ct=none"] = 1.0
    for s in clusters.of(lemmas[tree.heads[i]]):
        f["cg" + s] = 1.0
    for c in kids:
        if poses[c] in _CONTENT:
            for s in clusters.of(lemmas[c]):
                f["ck" + s] = 1.0
    first, end = sent.start, sent.end
    for k in (-2, -1, 1, 2):
        if first <= i + k < end:
            for s in clusters.of(lemmas[i + k]):
                f["cw" + s] = 1.0
    counts = _sentence_classes(sent, clusters)
    for name in counts:
        f[name] = _SENT_WEIGHT
    if poses[i] in _CONTENT:  # the candidate is not its own context (unless repeated)
        for s in own:
            if counts.get("cs" + s) == 1:
                del f["cs" + s]


def _sentence_classes(sent: Span, clusters: WordClusters) -> dict[str, int]:
    """``cs`` class names of a sentence's content lemmas (``sentence_lemmas``) with their
    counts, computed once per sentence."""
    key = f"dragoman_sent_classes:{sent.start}"
    cached: dict[str, int] | None = sent.doc.user_data.get(key)
    if cached is None:
        cached = {}
        for name, n in sentence_lemmas(sent).items():
            for s in clusters.of(name[len("sent="):]):
                cached["cs" + s] = cached.get("cs" + s, 0) + n
        sent.doc.user_data[key] = cached
    return cached


#: a count this large is a war's or a year's toll, not one happening's
LARGE_COUNT = 5000


def _count(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _large_party(tree: _Tree, doc: Doc, c: int, cues: Cues) -> bool:
    """Whether a word of token ``c``'s subtree is a ``large_count_words`` word or a number
    of at least ``LARGE_COUNT`` (the subtree read from the tree's lists: ``c`` and every
    token under it, as ``Token.subtree``, in another order)."""
    like_num, texts = token_column(doc, LIKE_NUM), token_column(doc, ORTH)
    lowers, words = tree.lowers, cues.large_count_words
    todo = [c]
    while todo:
        g = todo.pop()
        if lowers[g] in words or (like_num[g] and (_count(texts[g]) or 0) >= LARGE_COUNT):
            return True
        todo += tree.children(g)
    return False


def _statistic(tree: _Tree, doc: Doc, kids: list[int], cues: Cues) -> Iterable[str]:
    """What marks a statistic or a denied party rather than a happening, among the
    children ``kids`` of a trigger in ``doc``: a span opened by a ``statistic_marks`` word
    on the trigger ("have been killed since the conflict began in 2011"), a party of
    thousands ("more than 280,000 people"; ``large_count_words``), a party denied ("no one
    was injured"; ``denying_words``)."""
    deps, lowers = tree.deps, tree.lowers
    for c in kids:
        dep = deps[c]
        if (lowers[c] in cues.statistic_marks and dep in ("prep", "mark")) or (
                dep == "advcl" and any(lowers[g] in cues.statistic_marks
                                       for g in tree.children(c))):
            yield "since_span"
        if dep not in ("nsubj", "nsubjpass", "dobj", "attr"):
            continue
        if _large_party(tree, doc, c, cues):
            yield "party_count_large"
        if lowers[c] in cues.denying_words or any(
                deps[g] == "det" and lowers[g] in cues.denying_words for g in tree.children(c)):
            yield "party_denied"


def _sentence_weights(sent: Span) -> dict[str, float]:
    """``sentence_lemmas``' names, each with the context weight, computed once per
    sentence (no ``sent=`` name is among a candidate's other features)."""
    doc = sent.doc
    key = f"dragoman_sent_weights:{sent.start}"
    cached: dict[str, float] | None = doc.user_data.get(key)
    if cached is None:
        cached = dict.fromkeys(sentence_lemmas(sent), _SENT_WEIGHT)
        doc.user_data[key] = cached
    return cached


def sentence_lemmas(sent: Span) -> dict[str, int]:
    """``sent=`` feature names of a sentence's content lemmas with their counts, computed
    once per sentence."""
    doc = sent.doc
    key = f"dragoman_sent_lemmas:{sent.start}"
    cached: dict[str, int] | None = doc.user_data.get(key)
    if cached is None:
        cached = {}
        poses, lemmas = token_column(doc, POS), token_column(doc, LEMMA)
        for i in range(sent.start, sent.end):
            if poses[i] in _CONTENT:
                name = f"sent={lemmas[i].lower()}"
                cached[name] = cached.get(name, 0) + 1
        doc.user_data[key] = cached
    return cached


class _Trigger(NamedTuple):
    """What the pair features read of the trigger, once for all its mentions."""

    i: int
    voice: str
    pos: str
    lemma: str
    up: list[int]  # the trigger and its heads up to the root
    at: dict[int, int]  # each of those tokens' place in ``up``


def _trigger(tree: _Tree, trigger: Token) -> _Trigger:
    i = trigger.i
    passive = any(tree.deps[c] in ("nsubjpass", "auxpass") for c in tree.children(i))
    up = tree.ancestors(i)
    return _Trigger(i, "passive" if passive else "active", tree.poses[i],
                    tree.lemmas[i].lower(), up, {t: k for k, t in enumerate(up)})


def mention_features(
    trigger: Token,
    mention: Token,
    etype: str,
    refs: list[tuple[str | None, str | None, str | None]],
    actorish: bool,
    rule_role: str | None,
) -> dict[str, float]:
    """Features of one (trigger, mention) pair for the event type ``etype``.

    ``refs``: (country, sector, kind) of each actor the resolver finds at the mention;
    ``rule_role``: "actor" / "recipient" when the rules put the mention in that role.
    """
    return role_examples(trigger, [mention], etype, [refs], [actorish], [rule_role])[0]


def role_examples(
    trigger: Token,
    mentions: Sequence[Token],
    etype: str,
    refs: Sequence[list[tuple[str | None, str | None, str | None]]],
    actorish: Sequence[bool],
    rule_roles: Sequence[str | None],
) -> list[dict[str, float]]:
    """``mention_features`` of the trigger with each of ``mentions`` (the other arguments
    aligned with them), reading the trigger's side once."""
    tree = _tree(trigger.doc)
    trig = _trigger(tree, trigger)
    names = _PairNames(trig, etype)
    return [_pair_features(tree, trig, names, m.i, r, a, rr)
            for m, r, a, rr in zip(mentions, refs, actorish, rule_roles, strict=True)]


#: the ``dist=`` name of each token distance (10–19 and 20 or more are grouped)
_DIST_NAMES = tuple(f"dist={d if d < 10 else ('20+' if d >= 20 else '10+')}"
                    for d in range(21))


class _PairNames:
    """The names of the pair features that depend on the trigger and the event type only,
    spelled once for all of the trigger's mentions (the rest are spelled per pair)."""

    __slots__ = ("etype", "left", "right", "t_pos", "voice", "voice_name")

    def __init__(self, trig: _Trigger, etype: str) -> None:
        voice = trig.voice
        self.etype, self.voice = etype, voice
        self.voice_name = f"voice={voice}"
        self.t_pos = f"t_pos={trig.pos}"
        # a mention before the trigger, and one after it: (side=, type|side|voice=)
        self.left = ("side=left", f"type|side|voice={etype}|left|{voice}")
        self.right = ("side=right", f"type|side|voice={etype}|right|{voice}")


def _pair_features(
    tree: _Tree,
    trig: _Trigger,
    names: _PairNames,
    m: int,
    refs: list[tuple[str | None, str | None, str | None]],
    actorish: bool,
    rule_role: str | None,
) -> dict[str, float]:
    path = _path(tree, trig.up, trig.at, m)
    f = _path_features(path)
    etype, voice = names.etype, names.voice
    f["bias"] = 1.0
    f[names.voice_name] = 1.0
    side_name, side_voice = names.left if m < trig.i else names.right
    f[side_name] = 1.0
    f[_DIST_NAMES[min(abs(m - trig.i), 20)]] = 1.0
    m_dep = tree.deps[m]
    f[f"m_dep={m_dep}"] = 1.0
    f[f"m_pos={tree.poses[m]}"] = 1.0
    f[f"m_ent={tree.ents[m] or 'none'}"] = 1.0
    f[names.t_pos] = 1.0
    if actorish:
        f["actorish"] = 1.0
    if refs:
        f["known"] = 1.0
        for country, sector, kind in refs[:2]:
            f[f"sector={sector or 'none'}"] = 1.0
            f[f"kind={kind or 'none'}"] = 1.0
            if country:
                f["has_country"] = 1.0
    else:
        f["unknown"] = 1.0
    f[f"rule_role={rule_role or 'none'}"] = 1.0
    first = path[0] if path else "none"
    f[f"type|first={etype}|{first}"] = 1.0
    f[side_voice] = 1.0
    f[f"voice|first={voice}|{first}"] = 1.0
    if path is not None and len(path) <= 2:
        f[f"type|path={etype}|{' '.join(path)}"] = 1.0
        f[f"lemma|path={trig.lemma}|{' '.join(path)}"] = 1.0
    f[f"type|m_dep={etype}|{m_dep}"] = 1.0
    return f
