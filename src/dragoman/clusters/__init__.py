"""Clusters across documents: incidents of several reports about the same happening.

``cluster_store`` assigns a store's incidents to clusters (incrementally: a new run's
incidents join the clusters already there) and writes the cluster tables under
``<store>/clusters/`` atomically; ``read_table`` reads them. The query side is
``dragoman.query.clusters``.
"""

from __future__ import annotations

from .build import ClusterRun, cluster_store
from .match import ClusterSettings
from .table import Overrides, read_overrides, read_table

__all__ = ["ClusterRun", "ClusterSettings", "Overrides", "cluster_store", "read_overrides",
           "read_table"]
