"""numpy's gemm in the pipeline's layers gives blis's annotations; the BLAS thread limit
holds inside the block only."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from dragoman.config import Config
from dragoman.nlp.matmul import numpy_gemm, one_blas_thread


def _annotations(doc):  # type: ignore[no-untyped-def]
    return [(t.tag, t.pos, t.dep, t.head.i, t.lemma, t.morph.key, t.ent_iob, t.ent_type,
             t.is_sent_start) for t in doc]


def _layers(nlp):  # type: ignore[no-untyped-def]
    return [layer for _, c in nlp.pipeline if getattr(c, "model", None) is not None
            for layer in c.model.walk()]


@pytest.fixture(scope="module")
def pair():  # type: ignore[no-untyped-def]
    model = Config().model
    blis, numpy_ = spacy.load(model), spacy.load(model)
    return blis, numpy_, numpy_gemm(numpy_)


def test_numpy_gemm_gives_every_numpy_layer_ops_without_blis(pair) -> None:  # type: ignore[no-untyped-def]
    blis, fast, changed = pair
    layers = _layers(fast)
    assert changed > 0 and changed == sum(1 for layer in layers if isinstance(layer.ops, NumpyOps))
    assert all(not layer.ops.use_blis for layer in layers if isinstance(layer.ops, NumpyOps))
    # the other pipeline keeps blis, and a second call changes nothing
    assert all(layer.ops.use_blis for layer in _layers(blis) if isinstance(layer.ops, NumpyOps))
    assert numpy_gemm(fast) == 0


def test_numpy_gemm_gives_blis_annotations_on_real_articles(pair, article_texts) -> None:  # type: ignore[no-untyped-def]
    blis, fast, _ = pair
    # (other articles than the fast components' test reads)
    texts = article_texts(100, 160) + ["", "  ", "Hi."]
    n_tokens = 0
    for a, b in zip(blis.pipe(texts, batch_size=16), fast.pipe(texts, batch_size=16),
                    strict=True):
        assert _annotations(a) == _annotations(b), a.text[:80]
        # the products differ only by float32 rounding
        if len(a):
            assert np.allclose(a.tensor, b.tensor, rtol=1e-3, atol=1e-4)
        n_tokens += len(a)
    assert n_tokens > 1000


def _blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_one_blas_thread_limits_inside_the_block_only() -> None:
    with one_blas_thread():
        pass
    # a BLAS library loaded after a first call (scipy's, through scikit-learn) is limited too
    import sklearn.linear_model  # noqa: F401

    before = _blas_threads()
    with one_blas_thread():
        inside = _blas_threads()
    assert inside and all(n == 1 for n in inside)
    assert _blas_threads() == before
