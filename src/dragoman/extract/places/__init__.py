"""Places: gazetteer candidates, disambiguation, metonymy, and the event location.

The gazetteer is built from installed packages only (never downloaded) and cached on disk
(``build.py``); names are matched on a transliteration-insensitive key (``translit.py``),
so "Khan Sheikhoun" finds Khān Shaykhūn (GeoNames 168325) and "Deir ez-Zor" finds Dayr az
Zawr; rapidfuzz covers small spelling differences for spans the model tags as places.

Modules: ``translit`` (name keys), ``build`` (the GeoNames build and its cache),
``gazetteer`` (``Gazetteer``, ``load_gazetteer``: the data model, no document context),
``mentions`` (recognition), ``disambiguate`` (resolution, focus, metonymy, ``extract``),
``location`` (``event_location``, ``place_ref``). Data files: ``data/places/*.yaml``.

``spot`` (gazetteer-driven spotting of names the model's NER missed, demonyms).
Regions and historical names (``regions.yaml``: "the Levant", "the Golan") are entries of
their own; a small place in a country nothing else in the story lies in is left unresolved.

Contract: ``load_gazetteer() -> Gazetteer``; ``extract(ctx) -> list[Place]`` (roles
dateline | mention | metonym | demonym | embedded);
``event_location(ctx, sent, trigger) -> PlaceRef | None``.
"""

from __future__ import annotations

from .build import GAZETTEER_VERSION
from .disambiguate import extract
from .gazetteer import Gazetteer, load_gazetteer
from .location import event_location, place_ref
from .translit import TranslitRules, load_translit, name_key

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
