"""Exports of a chapter's ally map (see ``mapdata`` for the data, ``style`` for the look)."""
from __future__ import annotations

from .mapdata import MapData, MapEdge, MapFilters, MapNode, build_map, legend

__all__ = ["MapData", "MapEdge", "MapFilters", "MapNode", "build_map", "legend"]
