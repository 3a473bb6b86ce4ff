"""The architecture drawn with AWS icons: the `diagrams` package's nodes, laid out by Graphviz.

The Graphviz source is deterministic (node ids come from the graph, not random ids), so
`source_digest` identifies a picture without comparing image bytes, which differ between
Graphviz builds. SVG output carries its icons inline (data: URIs): it displays anywhere, not only
on the machine that drew it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from shipway.diagram.architecture import GROUP_TITLES, IN_VPC
from shipway.errors import MissingToolError

if TYPE_CHECKING:
    from shipway.diagram.architecture import Architecture, Group, NodeKind

ImageFormat = Literal["png", "svg"]
GRAPH = {
    "pad": "0.4",
    "nodesep": "0.5",
    "ranksep": "1.0",
    "fontsize": "20",
    "labelloc": "t",
    "splines": "spline",
    # Rank across clusters, so the loader sits after its queue rather than before it.
    "newrank": "true",
}
CLUSTER = {"fontsize": "14", "margin": "16"}
EDGE_FONT = {"fontsize": "11", "fontcolor": "#2D3436"}


def _icons() -> dict[NodeKind, Any]:
    # Imported here: loading the icon classes costs time every other command should not pay.
    from diagrams.aws import (
        compute,
        database,
        general,
        integration,
        management,
        network,
        security,
        storage,
    )

    return {
        "internet": general.InternetAlt1,
        "waf": security.WAF,
        "load_balancer": network.ALB,
        "nat": network.NATGateway,
        "endpoints": network.Endpoint,
        "web_service": compute.ElasticContainerServiceService,
        "backend_service": compute.ElasticContainerServiceService,
        "loader": compute.Lambda,
        "cache": database.ElastiCache,
        "table": database.Dynamodb,
        "bucket": storage.S3,
        "queue": integration.SQS,
        "dead_letter_queue": integration.SQS,
        "secret": security.SecretsManager,
        "alarms": management.CloudwatchAlarm,
        "topic": integration.SNS,
        "email": integration.SimpleNotificationServiceSnsEmailNotification,
        "schedule": integration.EventbridgeScheduler,
        "job": compute.ElasticContainerServiceTask,
    }


def icon_folder() -> Path:
    """Where the diagrams package keeps its icons (its Graphviz source names them by path)."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent / "resources"


def graphviz_source(graph: Architecture) -> str:
    """The Graphviz (dot) source of the picture."""
    import diagrams

    icons = _icons()
    picture = diagrams.Diagram(
        graph.title, filename="architecture", show=False, direction="LR", graph_attr=GRAPH
    )
    diagrams.setdiagram(picture)
    try:
        nodes: dict[str, Any] = {}

        def draw(group: Group) -> None:
            members = graph.in_group(group)
            if not members:
                return
            with diagrams.Cluster(GROUP_TITLES[group], graph_attr=CLUSTER):
                for node in members:
                    nodes[node.id] = icons[node.kind](node.label, nodeid=node.id)

        for node in graph.in_group("outside"):
            nodes[node.id] = icons[node.kind](node.label, nodeid=node.id)
        with diagrams.Cluster(graph.vpc_label, graph_attr=CLUSTER):
            for group in IN_VPC:
                draw(group)
        draw("regional")
        draw("monitoring")
        for edge in graph.edges:
            attributes = {**EDGE_FONT, "style": "dashed" if edge.style == "dashed" else ""}
            nodes[edge.source].connect(
                nodes[edge.target],
                diagrams.Edge(nodes[edge.source], forward=True, label=edge.label, **attributes),
            )
        return str(picture.dot.source)
    finally:
        diagrams.setdiagram(None)


def source_digest(source: str) -> str:
    """SHA-256 of the Graphviz source with the icon folder's path taken out (it is per machine)."""
    portable = source.replace(str(icon_folder()), "{icons}")
    return hashlib.sha256(portable.encode()).hexdigest()


def render(source: str, image_format: ImageFormat) -> bytes:
    """The picture, drawn by Graphviz's `dot`."""
    if shutil.which("dot") is None:
        raise MissingToolError(
            "shipway diagram needs Graphviz's dot for PNG and SVG: apt-get install graphviz "
            "(or use --format mermaid)"
        )
    import graphviz

    image: bytes = graphviz.Source(source).pipe(format=image_format, quiet=True)
    return _inline_icons(image) if image_format == "svg" else image


def _inline_icons(svg: bytes) -> bytes:
    folder = str(icon_folder())

    def inline(match: re.Match[bytes]) -> bytes:
        path = Path(match.group(2).decode())
        if not str(path).startswith(folder) or not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes())
        return match.group(1) + b'"data:image/png;base64,' + data + b'"'

    return re.sub(rb'(xlink:href=)"([^"]+\.png)"', inline, svg)
