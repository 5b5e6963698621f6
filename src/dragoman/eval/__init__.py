"""Evaluation against gold JSONL files (formats: shared/eval/README.md in the project docs).

One module per task (``events``, ``places``, ``dates``, ``quotes``); each exposes
``evaluate(gold: Path, pipeline: Pipeline, limit: int | None = None) -> Report`` where the
report has ``to_text() -> str`` and ``to_dict() -> dict``. The CLI's ``dragoman eval TASK``
calls them.
"""

__all__: list[str] = []  # the task modules are imported by name: dragoman.eval.events, ...
