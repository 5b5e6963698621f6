"""The places knowledge: the gazetteer and the word lists that go with it.

Owns ``Gazetteer`` (the compact GeoNames index built by ``build.py``, with the
transliteration rules, stop words, metonymy verbs, event-location prepositions and
dateline lemmas, and division words) and its loader ``load_gazetteer``. Data files:
``data/places/stoplist.yaml``, ``metonymy.yaml``, ``event_location.yaml`` (read here),
``translit.yaml`` (``translit.py``), ``aliases.yaml`` and ``divisions.yaml``
(``build.py``). The data model of the places package: it never imports the document
context, so ``dragoman.extract.resources`` can import it at top level.
"""

from __future__ import annotations

import functools
import logging
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..._data import compose_yaml, construct, data_path, read_yaml
from ...errors import DataFileError
from .build import (
    BROAD,
    FEATURE_ADM1,
    FEATURE_CAPITAL,
    FEATURE_CITY,
    FEATURE_CONT,
    FEATURE_COUNTRY,
    DivisionWords,
    GazetteerState,
    IndexHit,
    load_divisions,
    load_state,
    town_key,
    us_counties,
)
from .translit import TranslitRules, load_translit, name_key, str_list

__all__ = [
    "BROAD",
    "FEATURE_ADM1",
    "FEATURE_ADM2",
    "FEATURE_CAPITAL",
    "FEATURE_CITY",
    "FEATURE_CONT",
    "FEATURE_COUNTRY",
    "FEATURE_REGION",
    "Gazetteer",
    "PlaceLists",
    "Region",
    "load_gazetteer",
    "load_lists",
    "load_regions",
]

log = logging.getLogger(__name__)

#: a region or historical name of ``regions.yaml`` ("the Levant"): broad, no GeoNames id
FEATURE_REGION = "L.RGN"
#: a US county (``build.us_counties``), placed at its state's centre
FEATURE_ADM2 = "A.ADM2"


class Gazetteer:
    """A compact in-memory GeoNames index: entries in parallel arrays, key → entry indexes.

    Entry ``i`` has ``ids[i]`` (GeoNames id, 0 when none), ``names[i]``, ``cc[i]`` (ISO-2
    country, '' for continents), ``lat[i]``/``lon[i]``, ``pop[i]``, ``admin1[i]`` (GeoNames
    admin1 code) and ``feature[i]`` (``A.PCLI``, ``A.ADM1``, ``L.CONT``, ``P.PPLC``, ``P.PPL``).
    """

    def __init__(self, state: GazetteerState, rules: TranslitRules, stop: frozenset[str],
                 metonym_verbs: frozenset[str], preps: frozenset[str],
                 dateline_lemmas: frozenset[str], never: frozenset[str] = frozenset(), *,
                 divisions: DivisionWords, metonym_nouns: frozenset[str] = frozenset()) -> None:
        self.ids: array[int] = state["ids"]
        self.names: list[str] = state["names"]
        self.cc: list[str] = state["cc"]
        self.lat: array[float] = state["lat"]
        self.lon: array[float] = state["lon"]
        self.pop: array[int] = state["pop"]
        self.admin1: list[str] = state["admin1"]
        self.feature: list[str] = state["feature"]
        self.index: dict[str, IndexHit] = state["index"]  # key → int | tuple[int, ...]
        self.iso3: dict[str, str] = state["iso3"]
        self.admin1_names: dict[str, str] = state["admin1_names"]  # "US.GA" → "Georgia"
        self.qualifiers: dict[str, str] = state["qualifiers"]  # key → "US.GA" | "US"
        # entry → plain forms of its aliases.yaml names, which count as exact names
        self.preferred: dict[int, list[str]] = state["preferred"]
        self.county_points: dict[str, tuple[float, float]] = state.get("counties") or {}
        self.at_state_centre: set[int] = set()  # counties the ZIP table does not place
        self.town_counties: dict[str, tuple[str, ...]] = state.get("town_counties") or {}
        self.by_id: dict[int, int] = {gid: i for i, gid in enumerate(self.ids) if gid}
        self.rules = rules
        self.stop = stop
        self.never = never
        self.metonym_verbs = metonym_verbs
        self.metonym_nouns = metonym_nouns
        self.preps = preps
        self.dateline_lemmas = dateline_lemmas
        self.divisions = divisions
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

    def add_regions(self, regions: tuple[Region, ...]) -> None:
        """Add the regions as entries; each region's names then find that region only
        (the arrays and the index are copied first: the built state may be shared)."""
        self.ids = array(self.ids.typecode, self.ids)
        self.lat = array(self.lat.typecode, self.lat)
        self.lon = array(self.lon.typecode, self.lon)
        self.pop = array(self.pop.typecode, self.pop)
        self.names, self.cc = list(self.names), list(self.cc)
        self.admin1, self.feature = list(self.admin1), list(self.feature)
        self.index = dict(self.index)
        for r in regions:
            i = len(self.ids)
            self.ids.append(0)
            self.names.append(r.name)
            self.cc.append(r.country)
            self.lat.append(r.lat)
            self.lon.append(r.lon)
            self.pop.append(0)
            self.admin1.append(self._admin1_code(r))
            self.feature.append(FEATURE_REGION)
            for name in (r.name, *r.aliases):
                self.index[self.key(name)] = i

    def _admin1_code(self, r: Region) -> str:
        """The admin1 code of a region's division ("" without one); a division the
        gazetteer does not know is a data error."""
        if not r.division:
            return ""
        want = self.key(r.division)
        for key, name in self.admin1_names.items():
            cc, _, code = key.partition(".")
            if cc == r.country and self.key(name) == want:
                return code
        raise DataFileError(f"{r.where}: {r.division!r} is not a first-order division of "
                            f"{r.country}")

    def add_counties(self, counties: dict[str, frozenset[str]]) -> None:
        """Add US counties ("Lamar County" → its states' keys "US.TX") as entries at their
        centre (the mean of their ZIP codes' points; their state's centre when the table
        lacks them), feature ``A.ADM2``; a county name's key finds every state's county of
        that name."""
        states = {self.admin1_key(i): i for i, f in enumerate(self.feature)
                  if f == FEATURE_ADM1 and self.cc[i] == "US" and self.ids[i]}
        for name, keys in sorted(counties.items()):
            found = []
            for key in sorted(keys):
                st = states.get(key)
                if st is None:
                    continue
                i = len(self.ids)
                self.ids.append(0)
                self.names.append(" ".join(w.capitalize() for w in name.split()))
                self.cc.append("US")
                point = self.county_points.get(f"{key}|{name}")
                if point is None:
                    self.at_state_centre.add(i)
                    point = (self.lat[st], self.lon[st])
                self.lat.append(point[0])
                self.lon.append(point[1])
                self.pop.append(0)
                self.admin1.append(self.admin1[st])
                self.feature.append(FEATURE_ADM2)
                found.append(i)
            k = self.key(name)
            if found and k not in self.index:
                self.index[k] = found[0] if len(found) == 1 else tuple(found)

    def counties_of(self, i: int) -> tuple[str, ...]:
        """The US counties a town lies in ("walker county" for Huntsville, Texas); none for
        anything else."""
        if self.cc[i] != "US" or self.feature[i] in BROAD or not self.admin1[i]:
            return ()
        return self.town_counties.get(town_key(self.admin1_key(i), self.names[i]), ())

    def own_point(self, i: int) -> bool:
        """Whether entry ``i`` has coordinates of its own (a county placed at its state's
        centre, for want of its own, has not)."""
        return i not in self.at_state_centre

    def within(self, i: int, qualifier: str) -> bool:
        """Whether entry ``i`` lies in a qualifier's division ("US.GA") or country ("GE")."""
        return (self.admin1_key(i) == qualifier if "." in qualifier
                else self.cc[i] == qualifier)

    def entry_id(self, geonameid: int) -> int | None:
        return self.by_id.get(geonameid)

    def country3(self, i: int) -> str | None:
        return self.iso3.get(self.cc[i]) if self.cc[i] else None

    def admin1_key(self, i: int) -> str:
        return f"{self.cc[i]}.{self.admin1[i]}" if self.admin1[i] else ""

    def admin1_name(self, i: int) -> str | None:
        if self.feature[i] in BROAD and self.feature[i] != FEATURE_REGION:
            return None
        return self.admin1_names.get(self.admin1_key(i))



@dataclass(frozen=True)
class Region:
    """One region of ``regions.yaml``: its names, centre and (when in one) country."""

    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    country: str  # ISO-2, or "" for a region across countries
    division: str = ""  # the first-order division it lies in (GeoNames admin1 name), or ""
    where: str = ""  # file:line of its division, for errors found when it is added


def load_regions(path: Path | None = None) -> tuple[Region, ...]:
    """The regions of ``data/places/regions.yaml`` (or ``path``), validated: each name maps
    to ``[lat, lon, country, alternate names...]``; the optional ``divisions`` mapping gives
    the first-order division a one-country region lies in ("Eastern Ghouta": Rif Dimashq).
    Errors name the file and line."""
    path = path or data_path("places", "regions.yaml")
    root = compose_yaml(path)
    node = None
    div_node = None
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if k.value == "regions"), None)
        div_node = next((v for k, v in root.value if k.value == "divisions"), None)
        other = [k for k, _ in root.value if k.value not in ("regions", "divisions")]
        if other:
            raise DataFileError(f"{path}:{other[0].start_mark.line + 1}: unknown key "
                                f"{other[0].value!r}; expected regions and divisions")
    if not isinstance(node, yaml.MappingNode):
        raise DataFileError(f"{path}:1: expected a mapping 'regions: {{name: [lat, lon, "
                            "country, names...]}}'")
    divisions: dict[str, tuple[str, str]] = {}
    if div_node is not None:
        if not isinstance(div_node, yaml.MappingNode):
            raise DataFileError(f"{path}:{div_node.start_mark.line + 1}: 'divisions' must map "
                                "region names to first-order division names")
        for key, value in div_node.value:
            where = f"{path}:{key.start_mark.line + 1}"
            if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
                raise DataFileError(f"{where}: division of {key.value!r} must be a name")
            divisions[str(key.value)] = (str(value.value).strip(), where)
    out: list[Region] = []
    for key, value in node.value:
        where = f"{path}:{key.start_mark.line + 1}"
        row = construct(value, path)
        if not (isinstance(row, list) and len(row) >= 3
                and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                        for x in row[:2])
                and isinstance(row[2], str) and all(isinstance(x, str) for x in row[3:])):
            raise DataFileError(f"{where}: region {key.value!r} must be [lat, lon, country, "
                                "names...] (numbers, then strings)")
        lat, lon, cc = float(row[0]), float(row[1]), row[2]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DataFileError(f"{where}: region {key.value!r}: latitude or longitude out "
                                "of range")
        if cc and not (len(cc) == 2 and cc.isalpha() and cc.isupper()):
            raise DataFileError(f"{where}: region {key.value!r}: country must be an ISO-2 "
                                "code (\"SY\") or empty")
        division, dwhere = divisions.pop(str(key.value), ("", ""))
        if division and not cc:
            raise DataFileError(f"{dwhere}: region {key.value!r} has a division but no "
                                "country")
        out.append(Region(str(key.value), tuple(row[3:]), lat, lon, cc, division, dwhere))
    if divisions:
        name, (_, where) = next(iter(divisions.items()))
        raise DataFileError(f"{where}: division given for {name!r}, which is not a region")
    return tuple(out)


@dataclass(frozen=True)
class PlaceLists:
    """The word lists of ``stoplist.yaml``, ``metonymy.yaml`` and ``event_location.yaml``."""

    stop: frozenset[str]  # not places when found by lookup alone (lower case)
    never: frozenset[str]  # never places (lower case)
    metonym_verbs: frozenset[str]
    preps: frozenset[str]
    dateline_lemmas: frozenset[str]
    metonym_nouns: frozenset[str] = frozenset()


def _read_mapping(name: str) -> tuple[dict[str, object], str]:
    path = data_path("places", name)
    return read_yaml(path, mapping=True), str(path)


def load_lists() -> PlaceLists:
    """The packaged word lists, validated."""
    stop_data, label = _read_mapping("stoplist.yaml")
    stop = frozenset(s.lower() for s in str_list(stop_data.get("stop", []), label, "stop"))
    never = frozenset(s.lower() for s in str_list(stop_data.get("never", []), label, "never"))
    met, label = _read_mapping("metonymy.yaml")
    verbs = frozenset(str_list(met.get("verbs", []), label, "verbs"))
    nouns = frozenset(str_list(met.get("nouns", []), label, "nouns"))
    ev, label = _read_mapping("event_location.yaml")
    preps = frozenset(str_list(ev.get("preps", []), label, "preps"))
    lemmas = frozenset(str_list(ev.get("dateline_lemmas", []), label, "dateline_lemmas"))
    return PlaceLists(stop, never, verbs, preps, lemmas, nouns)


@functools.lru_cache(maxsize=2)
def load_gazetteer(stoplist: str | None = None, cache: bool = True) -> Gazetteer:
    """The gazetteer, built once per process (from the user cache file when present).

    ``stoplist`` names an extra user YAML file (``stop: [words]``) added to the packaged
    stoplist. ``cache=False`` builds from the packages without reading or writing the cache.
    """
    t0 = time.perf_counter()
    rules = load_translit()
    state = load_state(rules, cache)
    lists = load_lists()
    stop = lists.stop
    if stoplist:
        data = read_yaml(Path(stoplist))
        if not isinstance(data, dict):
            raise DataFileError(f"{stoplist}: expected a mapping with 'stop'")
        stop = stop | {s.lower() for s in str_list(data.get("stop", []), stoplist, "stop")}
    gaz = Gazetteer(state, rules, stop, lists.metonym_verbs, lists.preps,
                    lists.dateline_lemmas, never=lists.never, divisions=load_divisions(),
                    metonym_nouns=lists.metonym_nouns)
    gaz.add_regions(load_regions())
    gaz.add_counties(us_counties())
    log.info("gazetteer ready: %d entries in %.2f s", len(gaz), time.perf_counter() - t0)
    return gaz
