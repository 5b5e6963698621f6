"""The pipeline's matrix products through numpy's BLAS, one thread per process.

thinc's CPU backend (``NumpyOps``) multiplies matrices with the ``blis`` package by default.
On the machines we measured (x86-64, AVX2) that build is about three times slower than
the OpenBLAS numpy ships, on the very shapes ``en_core_web_sm`` multiplies (a batch's
tokens × 96-wide hidden layers): one thread, 200 products of 4,000 × 288 by 288 × 288 took
3.2 s with blis and 1.1 s with numpy (``bench/spacy_components.py`` measures the whole
pipeline). thinc itself offers the switch, ``NumpyOps(use_blis=False)``, which sends only
``gemm`` to ``numpy.dot``; every other operation stays thinc's own.

- ``numpy_gemm`` gives every layer of the pipeline's trained components those ops. The
  products are the same up to float32 rounding, and on the 2,061 articles of both corpora
  not one token's tag, part of speech, dependency, head, lemma, morphology, sentence start
  or entity changed (``tests/nlp/test_matmul.py`` checks it on real articles).
- ``one_blas_thread`` holds numpy's BLAS to one thread while a batch is parsed. Several
  BLAS threads would make one worker faster on a machine with idle cores, but the run's
  unit of parallelism is the worker process (``--workers``, Ray): two workers with two
  BLAS threads each would fight over the cores. Outside the parse, the user's setting is
  back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from spacy.language import Language
from thinc.api import NumpyOps

__all__ = ["numpy_gemm", "one_blas_thread"]

log = logging.getLogger(__name__)


def numpy_gemm(nlp: Language) -> int:
    """Give the layers of ``nlp``'s trained components thinc's ops with numpy's ``gemm``;
    returns how many layers changed. Layers on other ops (a GPU's, a user's own) and ops
    already without blis are left as they are."""
    ops = NumpyOps(use_blis=False)
    changed = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            current = layer.ops
            if type(current) is NumpyOps and getattr(current, "use_blis", False):
                layer.ops = ops
                changed += 1
    return changed


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread inside the block, the previous limit after it.

    The loaded BLAS libraries are looked up on each call (0.2 ms, once per batch of
    articles): a library loaded after the first call (scipy's, through scikit-learn) is
    limited too."""
    from threadpoolctl import threadpool_limits

    try:
        limiter = threadpool_limits(limits=1, user_api="blas")
    except Exception as exc:  # (an unknown BLAS build: parse as it is)  # noqa: BLE001
        log.debug("BLAS threads not limited: %s", exc)
        yield
        return
    with limiter:
        yield
