"""`shipway diagram`: the graph drawn from the plan, its Mermaid and Graphviz renderings through
the real CLI, and the examples' README pictures kept current."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.diagram import architecture, graphviz_source, mermaid, source_digest
from shipway.diagram.picture import icon_folder
from shipway.diagram.readme import ENVIRONMENT, IMAGE, REGENERATE, committed, drawing
from shipway.manifest import load_manifest, resolve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MANIFESTS = sorted(EXAMPLES.glob("*/shipway.yml"))
THREE_TIER = EXAMPLES / "three-tier" / "shipway.yml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def edges(manifest: Path, env: str = "prod") -> set[tuple[str, str, str]]:
    graph = architecture(resolve(load_manifest(manifest), env))
    return {(edge.source, edge.target, edge.label) for edge in graph.edges}


def test_three_tier_flows_from_the_internet_to_the_table_and_from_uploads_to_the_table() -> None:
    flows = edges(THREE_TIER)
    assert {
        ("internet", "waf", "HTTP"),
        ("waf", "load_balancer", ""),
        ("load_balancer", "web_service_web", "path /"),
        ("web_service_web", "backend_service_api", "Service Connect"),
        ("backend_service_api", "table_items", "read/write"),
        ("bucket_items_import", "queue_items_import", "object created"),
        ("queue_items_import", "loader_items_import", ""),
        ("loader_items_import", "table_items", "batch write"),
        # pages and tickets go to topics of their own, each to its own email in prod
        ("alarms", "topic_page", "pages"),
        ("alarms", "topic_ticket", "tickets"),
        ("topic_page", "email_oncall_example_com", "email"),
        ("topic_ticket", "email_tickets_example_com", "email"),
    } <= flows
    # test has no alarm email: the topics have no subscriber drawn.
    assert not any(target.startswith("email") for _, target, _ in edges(THREE_TIER, "test"))


def test_nodes_sit_in_their_subnet_tier() -> None:
    groups = {
        node.id: node.group
        for path in (THREE_TIER, EXAMPLES / "magic8ball" / "shipway.yml")
        for node in architecture(resolve(load_manifest(path), "prod")).nodes
    }
    assert groups["load_balancer"] == "public" and groups["nat"] == "public"
    assert groups["web_service_web"] == groups["backend_service_api"] == "private"
    assert groups["cache_counter"] == "isolated"
    assert groups["table_items"] == groups["queue_items_import"] == "regional"
    assert groups["internet"] == groups["waf"] == "outside"


def test_express_services_have_their_own_load_balancer_behind_the_waf() -> None:
    flows = edges(EXAMPLES / "bootcamp-api" / "shipway.yml")
    assert ("waf", "load_balancer_api", "") in flows
    assert ("load_balancer_api", "web_service_api", "") in flows
    assert ("web_service_api", "secret_jwt_key", "") in flows
    assert not any(source == "load_balancer" for source, _, _ in flows)
    graph = architecture(resolve(load_manifest(EXAMPLES / "bootcamp-api" / "shipway.yml"), "prod"))
    groups = {node.id: node.group for node in graph.nodes}
    assert groups["web_service_api"] == groups["load_balancer_api"] == "public"


def test_mermaid_through_the_cli_is_the_renderer_output() -> None:
    code, out, _ = run("diagram", "-f", str(THREE_TIER), "--env", "test")
    assert code == 0
    assert out == mermaid(architecture(resolve(load_manifest(THREE_TIER), "test")))
    assert out.startswith("---\ntitle: three-tier · test · us-west-2\n---\nflowchart LR\n")
    assert 'subgraph vpc["VPC 10.0.0.0/16 · 2 availability zones"]' in out
    assert 'web_service_web -->|"Service Connect"| backend_service_api' in out


def test_png_and_svg_through_the_cli(tmp_path: Path) -> None:
    png, svg = tmp_path / "three-tier.png", tmp_path / "three-tier.svg"
    assert run("diagram", "-f", str(THREE_TIER), "--env", "prod", "--out", str(png))[0] == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    code, _, err = run("diagram", "-f", str(THREE_TIER), "--env", "prod", "-o", str(svg))
    assert code == 0 and f"wrote {svg}" in err
    text = svg.read_text()
    assert text.count("data:image/png;base64,") >= 10  # one per icon, inline
    assert str(icon_folder()) not in text  # displays on machines without the diagrams package
    assert "Service Connect" in text and "DynamoDB" in text


def test_a_suffix_that_names_no_format_is_a_user_error(tmp_path: Path) -> None:
    code, _, err = run(
        "diagram", "-f", str(THREE_TIER), "--env", "prod", "-o", str(tmp_path / "a.txt")
    )
    assert code == 2 and "--format png, svg or mermaid" in err
    assert "Traceback" not in err


def test_graphviz_source_is_deterministic() -> None:
    graph = architecture(resolve(load_manifest(THREE_TIER), "prod"))
    first, second = graphviz_source(graph), graphviz_source(graph)
    assert first == second and source_digest(first) == source_digest(second)
    assert "web_service_web -> backend_service_api" in first


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda path: path.parent.name)
def test_example_readme_shows_the_current_architecture(manifest: Path) -> None:
    stale = f"{manifest.parent.name}'s README architecture is stale: run {REGENERATE}"
    flowchart, digest = committed(manifest.parent / "README.md")
    current = drawing(manifest)
    assert flowchart == current.mermaid, stale
    assert digest == current.digest, stale
    picture = manifest.parent / IMAGE
    assert picture.read_bytes().startswith(b"\x89PNG"), stale
    readme = (manifest.parent / "README.md").read_text()
    assert f"![{ENVIRONMENT} architecture]({IMAGE})" in readme


def test_secrets_named_by_variable_and_routes_by_path() -> None:
    core = Path(__file__).resolve().parents[1] / "data" / "core" / "shipway.yml"
    graph = architecture(resolve(load_manifest(core), "prod"))
    labels = {node.id: node.label for node in graph.nodes}
    flows = {(edge.source, edge.target, edge.label, edge.style) for edge in graph.edges}
    assert labels["secret_existing_storefront_stripe"] == (
        "storefront/stripe\nSecrets Manager (existing)"
    )
    assert labels["secret_ssm__storefront_signing"] == "/storefront/signing\nSSM parameter"
    assert ("web_service_web", "secret_existing_storefront_stripe", "STRIPE_KEY", "dashed") in flows
    assert ("web_service_web", "secret_ssm__storefront_signing", "SIGNING_KEY", "dashed") in flows
    assert ("load_balancer", "web_service_admin", "path /admin", "solid") in flows
    assert ("internet", "waf", "HTTPS", "solid") in flows  # prod has a domain
    # every edge joins two drawn nodes, in both renderings
    assert all(edge.source in labels and edge.target in labels for edge in graph.edges)
    text = mermaid(graph)
    assert 'web_service_web -.->|"STRIPE_KEY"| secret_existing_storefront_stripe' in text


def test_shop_cart_draws_its_order_flow_worker_and_nightly_job() -> None:
    flows = edges(EXAMPLES / "shop-cart" / "shipway.yml")
    assert {
        ("web_service_cart", "topic_sns_orders", "publish"),
        ("topic_sns_orders", "queue_fulfilment", "filtered"),
        ("queue_fulfilment", "backend_service_fulfilment", "consume"),
        ("queue_fulfilment", "dead_letter_queue_fulfilment", "after 3 receives"),
        ("backend_service_fulfilment", "table_orders", "read/write"),
        ("schedule_abandoned_carts", "job_abandoned_carts", "runs"),
        ("job_abandoned_carts", "table_carts", "read"),
    } <= flows
    graph = architecture(resolve(load_manifest(EXAMPLES / "shop-cart" / "shipway.yml"), "prod"))
    groups = {node.id: node.group for node in graph.nodes}
    assert groups["job_abandoned_carts"] == groups["backend_service_fulfilment"] == "private"
    assert groups["topic_sns_orders"] == groups["schedule_abandoned_carts"] == "regional"


def test_an_existing_vpc_is_drawn_by_its_id_without_nat_and_with_its_cache_private() -> None:
    manifest = load_manifest(EXAMPLES.parent / "tests" / "data" / "exec_network" / "shipway.yml")
    drawn = architecture(resolve(manifest, "test"))
    groups = {node.id: node.group for node in drawn.nodes}

    assert drawn.vpc_label == "VPC vpc-0a1b2c3d4e5f60718 (existing) · 2 availability zones"
    assert not {node.kind for node in drawn.nodes} & {"nat", "endpoints"}
    assert groups["cache_sessions"] == "private"  # an existing network has no isolated tier
    # prod creates its VPC: NAT drawn, the cache isolated
    prod = architecture(resolve(manifest, "prod"))
    assert "nat" in {node.kind for node in prod.nodes}
    assert {node.id: node.group for node in prod.nodes}["cache_sessions"] == "isolated"
