"""The trained part of the event coder: two linear classifiers, stored as plain data.

The rules propose (``candidates``); these models decide:

- the **type model** scores each candidate trigger: one of the PLOVER types or ``NONE``;
- the **role model** scores each (trigger, mention) pair: ``source``, ``target`` or ``none``;
- the **happening model** (optional) scores each pair of same-typed mentions of a document:
  ``same`` happening or ``other`` — the incident stage groups mentions by it
  (``extract/incidents/pairs.py``, ``grouping.group_by_model``).

All are multinomial logistic regressions trained by ``dragoman train events`` (scikit-learn
at training time only). A model is stored as a folder with ``model.json`` (version, what it
was trained on, the seed, each classifier's classes and feature names) and ``weights.npz``
(one weight matrix and intercept per classifier): no pickle, nothing executable, readable by
any tool, loaded in well under a second, and scored here with numpy alone.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from ... import _data
from ...errors import DataFileError

__all__ = [
    "MODEL_FORMAT",
    "EventModel",
    "LinearModel",
    "default_model_path",
    "load_event_model",
    "top",
]

#: the folder layout version; a model written with another is refused with a message
MODEL_FORMAT = 1

Features = Mapping[str, float]


@dataclass(frozen=True)
class LinearModel:
    """A multinomial linear classifier over named sparse features."""

    classes: tuple[str, ...]
    index: dict[str, int]  # feature name -> row of ``weights``
    weights: np.ndarray  # (n_features, n_classes) float32
    intercept: np.ndarray  # (n_classes,) float32

    @functools.cached_property
    def _padded(self) -> np.ndarray:
        """``weights`` with a row of zeros after the last, for unknown features."""
        return np.vstack([self.weights, np.zeros((1, self.weights.shape[1]),
                                                 dtype=self.weights.dtype)])

    @functools.cached_property
    def _intercept64(self) -> np.ndarray:
        """``intercept`` as float64, the dtype the scores are summed in."""
        return self.intercept.astype(np.float64)

    def proba(self, feats: Features) -> dict[str, float]:
        """Class probabilities of one example (softmax of its scores)."""
        return dict(zip(self.classes, self.proba_many([feats])[0].tolist(), strict=True))

    @property
    def unknown_row(self) -> int:
        """The row an unknown feature reads (zeros, past the last weight row)."""
        return int(self.weights.shape[0])

    def proba_many(self, examples: Sequence[Features]) -> np.ndarray:
        """Class probabilities of several examples at once: one row per example, columns
        in the order of ``classes`` (one gather, one scatter-add, one softmax)."""
        # an unknown feature reads the zero row past the last (no test in the loop)
        index, none = self.index, self.unknown_row
        get: Callable[[str, int], int] = index.get
        rows: list[int] = []
        values: list[float] = []
        has: list[int] = []  # the examples with features, and where each one's rows start
        starts: list[int] = []
        for k, feats in enumerate(examples):
            if feats:
                has.append(k)
                starts.append(len(rows))
                rows.extend(map(get, feats, repeat(none)))
                values.extend(feats.values())
        return self._proba(rows, values, has, starts, len(examples))

    def _proba(self, rows: list[int], values: list[float] | None, has: list[int],
               starts: list[int], n: int) -> np.ndarray:
        # (the zero rows of unknown features stay: they are part of the float32 sums'
        # grouping, and the scores must not move by a bit)
        b = self._intercept64
        if not rows:
            s = np.tile(b, (n, 1))
        else:
            part = self._padded.take(rows, axis=0)  # (a copy; faster than ``[rows]``)
            if values is not None and values.count(1.0) != len(values):  # (times 1.0: same)
                part *= np.asarray(values, dtype=np.float32)[:, None]
            summed = np.add.reduceat(part, starts, axis=0)
            if len(has) == n:  # every example has features: no scatter
                s = summed + b
            else:
                s = np.tile(b, (n, 1))
                s[has] += summed
        # the softmax in place (``s`` is this call's own array): the same operations
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        return s

    def best(self, feats: Features) -> tuple[str, float]:
        """The most probable class and its probability."""
        p = self.proba(feats)
        c = max(p, key=p.__getitem__)
        return c, p[c]

    @property
    def size(self) -> int:
        return len(self.index)


@dataclass(frozen=True)
class EventModel:
    """The type and role classifiers, with where they came from."""

    version: str
    types: LinearModel
    roles: LinearModel
    meta: dict[str, Any] = field(default_factory=dict)
    #: a candidate becomes an event when its best non-NONE type has at least this probability
    type_threshold: float = 0.5
    #: a mention fills a role when that role has at least this probability
    role_threshold: float = 0.35
    #: an event with neither actor nor recipient needs at least this type probability
    bare_threshold: float = 1.01
    #: the happening model: whether two same-typed mentions of one document are one
    #: happening (classes ``other``/``same``, ``incidents.pairs`` features); None: the
    #: incident stage groups by its rules alone
    happenings: LinearModel | None = None
    #: a mention joins an incident when its mean ``same`` probability with the incident's
    #: mentions is at least this
    happening_threshold: float = 0.3

    @property
    def extractor(self) -> str:
        """The ``extractor`` value of the events this model codes."""
        return f"dragoman.events.learned/{self.version}"

    def save(self, folder: str | Path) -> Path:
        """Write the model to ``folder`` (created); returns it."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": MODEL_FORMAT,
            "version": self.version,
            "type_threshold": self.type_threshold,
            "role_threshold": self.role_threshold,
            "bare_threshold": self.bare_threshold,
            "meta": self.meta,
            "types": {"classes": list(self.types.classes), "features": _names(self.types)},
            "roles": {"classes": list(self.roles.classes), "features": _names(self.roles)},
        }
        arrays: dict[str, Any] = {  # (Any: numpy types **kwargs as its flags)
            "types_w": self.types.weights.astype(np.float32),
            "types_b": self.types.intercept.astype(np.float32),
            "roles_w": self.roles.weights.astype(np.float32),
            "roles_b": self.roles.intercept.astype(np.float32),
        }
        if self.happenings is not None:
            meta["happening_threshold"] = self.happening_threshold
            meta["happenings"] = {"classes": list(self.happenings.classes),
                                  "features": _names(self.happenings)}
            arrays["happenings_w"] = self.happenings.weights.astype(np.float32)
            arrays["happenings_b"] = self.happenings.intercept.astype(np.float32)
        (out / "model.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
            encoding="utf-8")
        np.savez_compressed(
            out / "weights.npz",
            **arrays)
        return out


def _names(m: LinearModel) -> list[str]:
    names = [""] * len(m.index)
    for name, i in m.index.items():
        names[i] = name
    return names


def _linear(spec: Any, w: np.ndarray, b: np.ndarray, where: str) -> LinearModel:
    if not isinstance(spec, dict):
        raise DataFileError(f"{where}: expected a mapping with 'classes' and 'features'")
    classes = spec.get("classes")
    names = spec.get("features")
    if not isinstance(classes, list) or not isinstance(names, list):
        raise DataFileError(f"{where}: 'classes' and 'features' must be lists")
    if w.shape != (len(names), len(classes)) or b.shape != (len(classes),):
        raise DataFileError(
            f"{where}: weights of shape {w.shape} do not fit {len(names)} features x "
            f"{len(classes)} classes")
    return LinearModel(tuple(classes), {n: i for i, n in enumerate(names)}, w, b)


def default_model_path() -> Path:
    """The model shipped in the package (``dragoman/data/models/events``)."""
    return _data.data_path("models", "events")


@functools.lru_cache(maxsize=4)
def load_event_model(folder: str | Path | None = None) -> EventModel:
    """The event model in ``folder`` (default: the packaged one), validated.

    Raises ``DataFileError`` saying what is wrong when the folder is not a model.
    """
    path = Path(folder) if folder is not None else default_model_path()
    meta_file = path / "model.json"
    weights_file = path / "weights.npz"
    if not meta_file.is_file() or not weights_file.is_file():
        raise DataFileError(
            f"{path}: not an event model folder (needs model.json and weights.npz; "
            "make one with `dragoman train events --gold FILE --out DIR`)")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{meta_file}: cannot read the model description ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise DataFileError(
            f"{meta_file}: model format {meta.get('format') if isinstance(meta, dict) else '?'}"
            f", this dragoman reads format {MODEL_FORMAT}: retrain with `dragoman train events`")
    try:
        with np.load(weights_file) as z:
            arrays = {k: z[k] for k in ("types_w", "types_b", "roles_w", "roles_b")}
            if "happenings" in meta:  # (older models have none: rules group incidents)
                arrays.update({k: z[k] for k in ("happenings_w", "happenings_b")})
    except (OSError, ValueError, KeyError) as exc:
        raise DataFileError(f"{weights_file}: cannot read the weights ({exc})") from exc
    types = _linear(meta.get("types"), arrays["types_w"], arrays["types_b"], f"{meta_file} types")
    roles = _linear(meta.get("roles"), arrays["roles_w"], arrays["roles_b"], f"{meta_file} roles")
    happenings = (_linear(meta["happenings"], arrays["happenings_w"], arrays["happenings_b"],
                          f"{meta_file} happenings") if "happenings" in meta else None)
    if happenings is not None and set(happenings.classes) != {"other", "same"}:
        raise DataFileError(f"{meta_file} happenings: classes must be 'other' and 'same'")
    return EventModel(
        version=str(meta.get("version", "0")),
        types=types,
        roles=roles,
        meta=dict(meta.get("meta") or {}),
        type_threshold=float(meta.get("type_threshold", 0.5)),
        role_threshold=float(meta.get("role_threshold", 0.35)),
        bare_threshold=float(meta.get("bare_threshold", 1.01)),
        happenings=happenings,
        happening_threshold=float(meta.get("happening_threshold", 0.3)),
    )


def top(p: Mapping[str, float], exclude: Sequence[str] = ()) -> tuple[str, float]:
    """The most probable class of ``p`` that is not in ``exclude``."""
    best = max((c for c in p if c not in exclude), key=p.__getitem__)
    return best, p[best]
