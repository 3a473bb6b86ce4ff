"""The wiring contract's names (src/shipway/contract.py), as docs/wiring.md lists them, and
the `uses` edges the plan makes of a service's `uses`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from shipway import contract as wiring
from shipway.manifest import Use, resolve
from shipway.table.keys import key_schema_json

if TYPE_CHECKING:
    from tests.dev.conftest import WriteManifest


def test_variable_names() -> None:
    assert wiring.table_variable("users") == "TABLE_USERS"
    assert wiring.bucket_variable("users-import") == "BUCKET_USERS_IMPORT"
    assert wiring.cache_url_variable("session") == "CACHE_SESSION_URL"
    assert wiring.secret_variable("jwt-key") == "JWT_KEY"
    assert wiring.secret_id_variable("jwt-key") == "JWT_KEY_SECRET_ID"
    assert wiring.service_url_variable("api") == "SERVICE_API_URL"
    assert wiring.cache_auth_token_variable("session") == "CACHE_SESSION_AUTH_TOKEN"
    assert wiring.identity_variables("shop", "dev", "api") == {
        "SHIPWAY_APP": "shop",
        "SHIPWAY_ENV": "dev",
        "SHIPWAY_SERVICE": "api",
    }
    assert wiring.physical_name("shop", "dev", "users-import") == "shop-dev-users-import"


def test_uses_are_sorted_by_kind(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        services:
          api:
            type: backend
            image: {uri: example/api:1}
            uses: [users, session, jwt-key, {bucket: imports, access: read}]
          web:
            image: {uri: example/web:1}
            uses: [api, {table: users, access: read}]
        tables: {users: {partition_key: username}}
        caches: {session: {}}
        buckets: {imports: {}}
        secrets: {jwt-key: {generate: {length: 32}}}
    """)
    plan = resolve(manifest, "dev")
    api = plan.services["api"]
    assert api.uses == (
        Use("table", "users", "read_write"),
        Use("cache", "session", "read_write"),
        Use("secret", "jwt-key", "read"),
        Use("bucket", "imports", "read"),
    )
    assert api.redis_url_cache == "session"
    web = plan.services["web"]
    assert web.uses == (Use("service", "api", "call"), Use("table", "users", "read"))
    assert web.redis_url_cache is None


def test_loader_variables(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        tables: {orders: {partition_key: {name: customer}, sort_key: {name: at, type: N}}}
    """)
    orders = resolve(manifest, "dev").tables["orders"].spec
    variables = wiring.loader_variables(
        table_name="t", key_schema=key_schema_json(orders), format="jsonl"
    )
    assert json.loads(variables["KEY_SCHEMA"]) == {
        "partition_key": {"name": "customer", "type": "S"},
        "sort_key": {"name": "at", "type": "N"},
    }
    assert variables["LOADER_FORMAT"] == "jsonl"
    assert variables["REPORT_PREFIX"] == "reports/"
