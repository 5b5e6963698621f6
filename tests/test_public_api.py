"""The public API is what the docs say it is (in the manner of httpx's exported-members test)."""

from __future__ import annotations

import dragoman

DOCUMENTED = {
    "__version__", "Config", "load_config", "DragomanError", "Pipeline", "ActorRef",
    "Article", "DateRef", "Document", "Event", "Frame", "Place", "PlaceRef", "Quote",
    "Result", "Span",
}


def test_exports_are_documented() -> None:
    assert set(dragoman.__all__) == DOCUMENTED
    for name in dragoman.__all__:
        assert hasattr(dragoman, name), name


def test_python_dash_m_entry_point_exists() -> None:
    import importlib.util

    assert importlib.util.find_spec("dragoman.__main__") is not None
