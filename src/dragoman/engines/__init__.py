"""Engines run the unit of work ``Iterator[Article] → Iterator[Result]`` somewhere.

``local`` runs it in this process or over a process pool; ``ray`` runs the same function
with Ray Data. Both give identical records for the same input.
"""

from .base import Engine, get_engine

__all__ = ["Engine", "get_engine"]
