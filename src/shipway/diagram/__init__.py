"""`shipway diagram`: one environment's architecture from its resolved plan, as a Mermaid
flowchart or a picture with AWS icons (the `diagrams` package on Graphviz)."""

from shipway.diagram.architecture import Architecture, architecture
from shipway.diagram.mermaid import mermaid
from shipway.diagram.picture import graphviz_source, render, source_digest

__all__ = ["Architecture", "architecture", "graphviz_source", "mermaid", "render", "source_digest"]
