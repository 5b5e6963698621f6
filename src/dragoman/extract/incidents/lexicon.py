"""The incident vocabulary (data model): casualty cues, victim nouns, hedges, number words,
cause cues — all from ``dragoman/data/incidents/incidents.yaml``, read through
``dragoman._data`` and validated with file:line errors.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import _data
from ...errors import DataFileError

__all__ = [
    "CATEGORIES",
    "CAUSES",
    "IncidentLexicon",
    "load_incident_lexicon",
    "read_incident_lexicon",
]

#: the causes an incident can have, in the order ties are broken
CAUSES: tuple[str, ...] = ("chemical", "execution", "explosion", "airstrike", "shelling",
                           "shooting", "other", "unknown")
#: victim categories of a toll
CATEGORIES: tuple[str, ...] = ("total", "civilians", "children", "women", "combatants")

_KEYS = frozenset({"killed", "injured", "rise", "victims", "hedges", "vague", "numbers",
                   "subset", "according", "causes", "background", "attack_nouns",
                   "max_toll", "old_days", "households", "unnamed_attackers",
                   "unknown_attacker", "others", "claim_verbs", "claim_objects",
                   "not_names", "refer_back", "new_happening", "cumulative", "recall",
                   "before_cue"})
#: keys a user's file may leave out (then empty)
_OPTIONAL = frozenset({"not_names", "refer_back", "new_happening", "cumulative", "recall",
                       "before_cue"})


_SPACES = re.compile(r"[\s\-]+")

#: what ``...`` in a phrase stands for: up to this many words ("unclear whether ... carried
#: out" matches "unclear whether regime or Russian jets carried out")
GAP_WORDS = 12


def _phrase_rx(phrases: list[str]) -> re.Pattern[str]:
    """One pattern for the phrases: words apart by spaces or hyphens, ``...`` for a gap of
    up to ``GAP_WORDS`` words within a clause, whole words only, any case."""
    def word(w: str) -> str:
        return rf"(?:[^\s.;:!?]+[\s\-]+){{0,{GAP_WORDS}}}?" if w == "..." else re.escape(w) + r"[\s\-]+"

    alts = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    bodies = ["".join(word(w) for w in re.split(r"[\s\-]+", a.strip()))[:-len(r"[\s\-]+")]
              for a in alts]
    return re.compile(r"(?<![\w\-])(?:" + _by_first_letter(alts, bodies) + r")(?![\w\-])",
                      re.IGNORECASE)


def _by_first_letter(alts: list[str], bodies: list[str]) -> str:
    """The alternation of ``bodies`` (the patterns of the phrases ``alts``, in order),
    with the phrases that begin with one letter or digit behind that character once:
    "air strike|artillery|bomb" becomes "a(?:ir strike|rtillery)|b(?:omb)".

    Only for speed: Python's ``re`` tries every alternative at each word start (an
    ignore-case literal has no quick first-character test), and the cause cues are over
    a hundred phrases. The match is the same: a text character matches at most one ASCII
    letter or digit even ignoring case, so at any position only one group can match, and
    inside it the phrases are tried in their order. A phrase that begins otherwise (a
    "..." gap, a non-ASCII character) leaves the alternation as it is."""
    firsts = [a.strip()[:1] for a in alts]
    if not all(f.isascii() and f.isalnum() and b.startswith(f)
               for f, b in zip(firsts, bodies, strict=True)):
        return "|".join(bodies)
    groups: dict[str, list[str]] = {}
    for f, b in zip(firsts, bodies, strict=True):
        groups.setdefault(f, []).append(b[1:])
    return "|".join(f + "(?:" + "|".join(rests) + ")" for f, rests in groups.items())


@dataclass(frozen=True)
class IncidentLexicon:
    killed: frozenset[str]
    injured: frozenset[str]
    rise: frozenset[str]
    victims: dict[str, str]  # lemma → category
    hedges: dict[str, str]  # phrase (lower, single spaces) → low | high | about
    vague: dict[str, tuple[int | None, int | None]]
    units: dict[str, int]
    scales: dict[str, int]
    subset: frozenset[str]
    according: tuple[str, ...]
    cause_rx: re.Pattern[str]
    background_rx: re.Pattern[str]
    cause_of: dict[str, str]  # phrase (lower, single spaces) → cause
    attack_nouns: frozenset[str] = frozenset()  # lemmas whose modifier names the attacker
    max_toll: int = 2000  # a figure this large counts a war or a period: background
    old_days: int = 365  # a sentence with a date this much older: its figures background
    households: frozenset[str] = frozenset()  # "one family": no count of people
    unnamed_attackers: frozenset[str] = frozenset()  # "gunmen": an attacker, not who
    #: "it was unclear who carried out", "no group has claimed": the text says no one knows
    unknown_attacker_rx: re.Pattern[str] | None = None
    others: frozenset[str] = frozenset()  # "30 others were wounded": more people
    #: words between a counted phrase and the killed/injured word after it ("were left")
    before_cue: frozenset[str] = frozenset()
    claim_verbs: frozenset[str] = frozenset()  # "claimed responsibility": names the attacker
    claim_objects: frozenset[str] = frozenset()
    #: capitalised words that name no one and nowhere ("The", "Monday", "Police"): not
    #: counted when two sentences are compared for the names they share
    not_names: frozenset[str] = frozenset()
    #: determiners before an attack noun that point back to one told before ("the attack")
    refer_back: frozenset[str] = frozenset()
    #: a sentence opening that turns to another happening ("separately", "elsewhere")
    new_happening: frozenset[str] = frozenset()
    #: vague numbers that, with a present-perfect killed verb, count a campaign's running
    #: toll, not an incident's ("strikes have killed hundreds of civilians")
    cumulative: frozenset[str] = frozenset()
    #: "days after", "a week after": the figures after one of these count the earlier
    #: happening it introduces (background); the figures before it are the story's
    recall_rx: re.Pattern[str] | None = None

    def cause_of_match(self, text: str) -> str:
        return self.cause_of[_SPACES.sub(" ", text.lower())]


def _words(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise DataFileError(f"{where}: '{key}' must be a list of words")
    return [w.strip().lower() for w in value]


def read_incident_lexicon(path: Path | str, text: str | None = None) -> IncidentLexicon:
    """Read and validate an incident vocabulary file."""
    data = _data.read_yaml(path, text=text, mapping=True)
    where = str(path)
    unknown = set(data) - _KEYS
    if unknown:
        raise DataFileError(f"{where}:1: unknown key(s) {', '.join(sorted(unknown))}; "
                            f"allowed: {', '.join(sorted(_KEYS))}")
    missing = _KEYS - _OPTIONAL - set(data)
    if missing:
        raise DataFileError(f"{where}:1: missing key(s) {', '.join(sorted(missing))}")
    victims: dict[str, str] = {}
    vmap = data["victims"]
    if not isinstance(vmap, dict) or set(vmap) - set(CATEGORIES):
        raise DataFileError(f"{where}: 'victims' must map categories ({', '.join(CATEGORIES)}) "
                            "to lists of nouns")
    for cat in vmap:
        for w in _words(vmap, cat, f"{where}: victims"):
            if w in victims and victims[w] != cat:
                raise DataFileError(f"{where}: victim noun {w!r} is in both {victims[w]} "
                                    f"and {cat}")
            victims[w] = cat
    hedges: dict[str, str] = {}
    hmap = data["hedges"]
    if not isinstance(hmap, dict) or set(hmap) - {"low", "high", "about"}:
        raise DataFileError(f"{where}: 'hedges' must map low/high/about to lists of phrases")
    for kind in hmap:
        for w in _words(hmap, kind, f"{where}: hedges"):
            key = " ".join(w.split())
            if key in hedges:
                raise DataFileError(f"{where}: hedge {w!r} is given twice")
            hedges[key] = kind
    vague: dict[str, tuple[int | None, int | None]] = {}
    for word, bounds in (data["vague"] or {}).items():
        if not isinstance(bounds, dict) or set(bounds) != {"low", "high"} or not all(
                b is None or isinstance(b, int) for b in bounds.values()):
            raise DataFileError(f"{where}: vague word {word!r} needs {{low: int|null, "
                                "high: int|null}}")
        vague[str(word).lower()] = (bounds["low"], bounds["high"])
    numbers = data["numbers"]
    if not isinstance(numbers, dict) or set(numbers) != {"units", "scales"}:
        raise DataFileError(f"{where}: 'numbers' needs 'units' and 'scales'")
    for part in ("units", "scales"):
        if not all(isinstance(v, int) for v in numbers[part].values()):
            raise DataFileError(f"{where}: numbers.{part} must map words to integers")
    cause_of: dict[str, str] = {}
    cmap = data["causes"]
    if not isinstance(cmap, dict) or set(cmap) - set(CAUSES):
        raise DataFileError(f"{where}: 'causes' must map causes ({', '.join(CAUSES)}) "
                            "to lists of phrases")
    for cause in cmap:
        for w in _words(cmap, cause, f"{where}: causes"):
            key = " ".join(re.split(r"[\s\-]+", w))
            if key in cause_of and cause_of[key] != cause:
                raise DataFileError(f"{where}: cause phrase {w!r} is in both "
                                    f"{cause_of[key]} and {cause}")
            cause_of[key] = cause
    for key in ("max_toll", "old_days"):
        if not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] <= 0:
            raise DataFileError(f"{where}: '{key}' must be a positive whole number")
    return IncidentLexicon(
        killed=frozenset(_words(data, "killed", where)),
        injured=frozenset(_words(data, "injured", where)),
        rise=frozenset(_words(data, "rise", where)),
        victims=victims,
        hedges=hedges,
        vague=vague,
        units={str(k).lower(): int(v) for k, v in numbers["units"].items()},
        scales={str(k).lower(): int(v) for k, v in numbers["scales"].items()},
        subset=frozenset(" ".join(w.split()) for w in _words(data, "subset", where)),
        according=tuple(" ".join(w.split()) for w in _words(data, "according", where)),
        cause_rx=_phrase_rx(list(cause_of)),
        background_rx=_phrase_rx(_words(data, "background", where)),
        cause_of=cause_of,
        attack_nouns=frozenset(_words(data, "attack_nouns", where)),
        max_toll=data["max_toll"],
        old_days=data["old_days"],
        households=frozenset(_words(data, "households", where)),
        unnamed_attackers=frozenset(_words(data, "unnamed_attackers", where)),
        unknown_attacker_rx=_phrase_rx(_words(data, "unknown_attacker", where)),
        others=frozenset(_words(data, "others", where)),
        before_cue=frozenset(_words(data, "before_cue", where)) if "before_cue" in data
        else frozenset(),
        claim_verbs=frozenset(_words(data, "claim_verbs", where)),
        claim_objects=frozenset(_words(data, "claim_objects", where)),
        not_names=frozenset(_words(data, "not_names", where)) if "not_names" in data
        else frozenset(),
        refer_back=frozenset(_words(data, "refer_back", where)) if "refer_back" in data
        else frozenset(),
        new_happening=frozenset(" ".join(re.findall(r"[\w']+", w))
                                for w in _words(data, "new_happening", where))
        if "new_happening" in data else frozenset(),
        cumulative=frozenset(_words(data, "cumulative", where)) if "cumulative" in data
        else frozenset(),
        recall_rx=_phrase_rx(_words(data, "recall", where)) if "recall" in data else None,
    )


@functools.lru_cache(maxsize=1)
def load_incident_lexicon() -> IncidentLexicon:
    """The packaged incident vocabulary, read once per process."""
    return read_incident_lexicon(_data.data_path("incidents", "incidents.yaml"))
