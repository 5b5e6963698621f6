"""Incidents: the event mentions of one real happening merged, with casualties, cause,
place and date (``grouping``); casualty figures (``casualties``); the vocabulary
(``lexicon``, ``data/incidents/incidents.yaml``)."""

from __future__ import annotations

__all__: list[str] = []  # the modules are imported by name: grouping, casualties, lexicon
