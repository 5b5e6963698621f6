"""Build ``countries.tsv`` from pycountry and countryinfo (run by hand, output committed).

Usage::

    python -m dragoman.data.actors.build_countries [OUT]

Writes one row per ISO 3166-1 country: ISO-3 code, English name, other names, demonyms,
capital. Nothing here runs at analysis time; the TSV it writes is package data. Short forms
and demonyms that these sources lack ("Saudi", "KSA", "U.S.", "Britain", "DPRK") are curated
by hand in ``countries_curated.tsv`` (same columns), which the loader merges over this file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

HEADER = ["iso3", "name", "aliases", "demonyms", "capital", "wikidata"]

# names that pycountry gives in inverted "X, Y of" order are replaced by countryinfo's name
_INVERTED = re.compile(r",")
# countryinfo entries that describe another place than their ISO code (GBR is Wales there)
_SOURCE_ERRORS = {"GBR"}
# alternate spellings worth keeping: latin letters, spaces, dots, hyphens, apostrophes
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'\-]+$")


def _clean(values: list[str]) -> list[str]:
    seen: list[str] = []
    for v in values:
        v = " ".join(v.split())
        if v and v not in seen:
            seen.append(v)
    return seen


def _uninvert(name: str) -> str:
    """"Palestine, State of" → "State of Palestine"."""
    head, _, tail = name.partition(", ")
    return f"{tail} {head}" if tail else name


def build_rows() -> list[list[str]]:
    import countryinfo
    import pycountry

    info_by_iso3: dict[str, Any] = {}
    for ci in countryinfo.all_countries():
        try:
            info = ci.info()
        except Exception as exc:  # noqa: BLE001 - a broken entry of the source is skipped
            sys.stderr.write(f"skipped a countryinfo entry: {exc}\n")
            continue
        iso = (info.get("ISO") or {}).get("alpha3")
        if iso and iso.upper() not in _SOURCE_ERRORS:
            info_by_iso3[iso.upper()] = info

    rows: list[list[str]] = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        facts = info_by_iso3.get(c.alpha_3, {})
        names: list[str] = [n for n in (getattr(c, "common_name", None), facts.get("name"), c.name)
                            if n and not _INVERTED.search(n)]
        name = names[0] if names else _uninvert(c.name)
        aliases = [c.name, getattr(c, "official_name", None) or "", facts.get("name") or ""]
        aliases += [a for a in facts.get("altSpellings") or [] if _LATIN.match(a) and len(a) > 3]
        aliases = [a for a in _clean(aliases) if a != name and not _INVERTED.search(a)]
        demonyms = _clean([facts.get("demonym") or ""])
        capital = facts.get("capital") or ""
        rows.append([c.alpha_3, name, "|".join(aliases), "|".join(demonyms), capital, ""])
    return rows


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("countries.tsv")
    rows = build_rows()
    lines = ["\t".join(HEADER)] + ["\t".join(r) for r in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stderr.write(f"wrote {len(rows)} countries to {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
