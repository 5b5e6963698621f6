"""The public API is what the docs say it is (in the manner of httpx's exported-members test)."""

from __future__ import annotations

import pytest

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


def _modules() -> list[str]:
    import pkgutil

    names = ["dragoman"]
    for info in pkgutil.walk_packages(dragoman.__path__, "dragoman."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or ".data." in info.name or info.name.endswith(".__main__"):
            continue
        names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_all_is_what_the_module_exports(name: str) -> None:
    """``__all__`` lists exactly the public functions and classes a module defines or re-exports.

    Every name in ``__all__`` exists; every public function or class defined in the module
    is in ``__all__`` (a helper meant to stay inside gets a leading underscore); a package's
    ``__init__`` lists what it re-exports.
    """
    import importlib
    import inspect

    mod = importlib.import_module(name)
    declared = getattr(mod, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    assert len(set(declared)) == len(declared), f"{name}.__all__ repeats a name"
    missing = [n for n in declared if not hasattr(mod, n)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"
    defined = {
        n for n, v in vars(mod).items()
        if not n.startswith("_")
        and (inspect.isfunction(v) or inspect.isclass(v))
        and getattr(v, "__module__", None) == name
    }
    undeclared = sorted(defined - set(declared))
    assert not undeclared, f"{name} defines public {undeclared} but leaves them out of __all__"
