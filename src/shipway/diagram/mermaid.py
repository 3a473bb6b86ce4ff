"""The architecture as a Mermaid flowchart: text GitHub renders in Markdown, diffable in review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.diagram.architecture import GROUP_TITLES, IN_VPC

if TYPE_CHECKING:
    from shipway.diagram.architecture import Architecture, Edge, Group, Node, NodeKind

# Mermaid node shapes: (opening, closing) around the quoted label.
SHAPES: dict[NodeKind, tuple[str, str]] = {
    "internet": ("([", "])"),
    "waf": ("{{", "}}"),
    "load_balancer": ("[", "]"),
    "nat": ("[", "]"),
    "endpoints": ("[", "]"),
    "web_service": ("(", ")"),
    "backend_service": ("(", ")"),
    "loader": ("(", ")"),
    "cache": ("[(", ")]"),
    "table": ("[(", ")]"),
    "bucket": ("[(", ")]"),
    "queue": ("[[", "]]"),
    "dead_letter_queue": ("[[", "]]"),
    "secret": ("[/", "/]"),
    "alarms": ("[", "]"),
    "topic": ("[[", "]]"),
    "email": ("([", "])"),
    "schedule": ("{{", "}}"),
    "job": ("(", ")"),
}
# Colours close to the AWS icon categories, so the text diagram reads like the picture.
CLASSES: dict[str, tuple[str, tuple[NodeKind, ...]]] = {
    "network": (
        "fill:#f4e1f7,stroke:#8c4fff",
        ("internet", "waf", "load_balancer", "nat", "endpoints"),
    ),
    "compute": (
        "fill:#fde8d4,stroke:#ed7100",
        ("web_service", "backend_service", "loader", "job"),
    ),
    "data": ("fill:#dbe8fb,stroke:#3b48cc", ("table", "cache")),
    "storage": ("fill:#e3f4dc,stroke:#3f8624", ("bucket",)),
    "messaging": (
        "fill:#fbe0ea,stroke:#e7157b",
        ("queue", "dead_letter_queue", "topic", "email", "schedule"),
    ),
    "security": ("fill:#fde0e0,stroke:#dd344c", ("secret",)),
    "monitoring": ("fill:#fbe0ea,stroke:#e7157b", ("alarms",)),
}


def mermaid(graph: Architecture) -> str:
    """The flowchart's source, ending with a newline."""
    lines = ["---", f"title: {graph.title}", "---", "flowchart LR"]
    lines += [f"  {_node(node)}" for node in graph.in_group("outside")]
    lines.append(f'  subgraph vpc["{_text(graph.vpc_label)}"]')
    for group in IN_VPC:
        lines += _subgraph(graph, group, "    ")
    lines.append("  end")
    for group in ("regional", "monitoring"):
        lines += _subgraph(graph, group, "  ")
    lines += [f"  {_edge(edge)}" for edge in graph.edges]
    for name, (style, kinds) in CLASSES.items():
        members = [node.id for node in graph.nodes if node.kind in kinds]
        if members:
            lines.append(f"  classDef {name} {style}")
            lines.append(f"  class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"


def _subgraph(graph: Architecture, group: Group, indent: str) -> list[str]:
    nodes = graph.in_group(group)
    if not nodes:
        return []
    return [
        f'{indent}subgraph tier_{group}["{_text(GROUP_TITLES[group])}"]',
        *(f"{indent}  {_node(node)}" for node in nodes),
        f"{indent}end",
    ]


def _node(node: Node) -> str:
    opening, closing = SHAPES[node.kind]
    return f'{node.id}{opening}"{_text(node.label)}"{closing}'


def _edge(edge: Edge) -> str:
    arrow = "-.->" if edge.style == "dashed" else "-->"
    label = f'|"{_text(edge.label)}"|' if edge.label else ""
    return f"{edge.source} {arrow}{label} {edge.target}"


def _text(text: str) -> str:
    """A label Mermaid reads literally: quotes escaped, lines broken with <br/>."""
    return text.replace('"', "#quot;").replace("\n", "<br/>")
