"""Caches in the data-capabilities manifest: replication groups, TLS and AUTH, the URL secret."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from shipway.cache.infrastructure import failover, snapshot_window
from shipway.manifest import Cache
from tests.data.data_capabilities.synthesized import (
    alarms,
    data_template,
    environment_of,
    logical_id,
    resource,
    resources,
    secrets_of,
)

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult

GROUP = "AWS::ElastiCache::ReplicationGroup"
SECRET = "AWS::SecretsManager::Secret"


def group(env: str, cache: str) -> dict[str, Any]:
    return resource(env, GROUP, f"Cache{cache.title()}")["Properties"]


def token_reference(env: str, cache: str) -> dict[str, Any]:
    token = logical_id(env, SECRET, f"Cache{cache.title()}AuthToken")
    return {
        "Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": token}, ":SecretString:token::}}"]]
    }


@pytest.mark.parametrize("env", ["test", "prod"])
def test_cache_with_a_replica_fails_over_across_zones(synth: SynthResult, env: str) -> None:
    session = group(env, "session")
    assert session["Engine"] == "valkey"
    assert session["NumCacheClusters"] == 2
    assert session["AutomaticFailoverEnabled"] is True
    assert session["MultiAZEnabled"] is True


def test_cache_without_replicas_is_one_cheap_node(synth: SynthResult) -> None:
    scratch = group("test", "scratch")
    assert (scratch["Engine"], scratch["EngineVersion"]) == ("redis", "7.1")
    assert scratch["NumCacheClusters"] == 1
    assert scratch["AutomaticFailoverEnabled"] is False
    assert scratch["MultiAZEnabled"] is False


@pytest.mark.parametrize("cache", ["session", "scratch"])
def test_encrypted_in_transit_and_at_rest_with_auth_from_secrets_manager(
    synth: SynthResult, cache: str
) -> None:
    properties = group("prod", cache)
    key = logical_id("prod", "AWS::KMS::Key", "Encryption")
    assert properties["TransitEncryptionEnabled"] is True
    assert properties["AtRestEncryptionEnabled"] is True
    assert properties["KmsKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    assert properties["AuthToken"] == token_reference("prod", cache)
    assert properties["AutoMinorVersionUpgrade"] is True
    assert properties["PreferredMaintenanceWindow"] == "sun:05:00-sun:06:00"
    assert (properties["SnapshotRetentionLimit"], properties["SnapshotWindow"]) == (
        7,
        "03:00-04:00",
    )


def test_auth_token_is_generated_alphanumeric_and_encrypted(synth: SynthResult) -> None:
    token = resource("test", SECRET, "CacheSessionAuthToken")["Properties"]
    assert token["GenerateSecretString"] == {
        "ExcludePunctuation": True,
        "GenerateStringKey": "token",
        "PasswordLength": 64,
        "SecretStringTemplate": "{}",
    }
    assert "KmsKeyId" in token


def test_cache_lives_in_the_isolated_subnets(synth: SynthResult) -> None:
    subnets = resource("test", "AWS::ElastiCache::SubnetGroup", "CacheSession")["Properties"]
    assert subnets["SubnetIds"]
    assert all("isolated" in ref["Ref"] for ref in subnets["SubnetIds"])
    assert group("test", "session")["CacheSubnetGroupName"] == {
        "Ref": logical_id("test", "AWS::ElastiCache::SubnetGroup", "CacheSession")
    }


@pytest.mark.parametrize(
    ("cache", "users"), [("session", {"Api", "Worker", "Admin"}), ("scratch", {"Worker"})]
)
def test_only_the_services_that_use_a_cache_may_connect(
    synth: SynthResult, cache: str, users: set[str]
) -> None:
    cache_group = logical_id("test", "AWS::EC2::SecurityGroup", f"Cache{cache.title()}")
    rules = [
        rule["Properties"]
        for rule in resources("test", "AWS::EC2::SecurityGroupIngress").values()
        if rule["Properties"]["GroupId"] == {"Fn::GetAtt": [cache_group, "GroupId"]}
    ]
    assert {(rule["FromPort"], rule["ToPort"]) for rule in rules} == {(6379, 6379)}
    sources = {rule["SourceSecurityGroupId"]["Fn::GetAtt"][0] for rule in rules}
    assert sources == {
        logical_id("test", "AWS::EC2::SecurityGroup", f"Service{name}") for name in users
    }
    own = resource("test", "AWS::EC2::SecurityGroup", f"Cache{cache.title()}")["Properties"]
    assert "SecurityGroupIngress" not in own


def test_url_secret_is_rediss_to_the_primary_built_by_cloudformation(synth: SynthResult) -> None:
    url = resource("test", SECRET, "CacheSessionUrl")["Properties"]
    replication = logical_id("test", GROUP, "CacheSession")
    token = logical_id("test", SECRET, "CacheSessionAuthToken")
    assert url["SecretString"] == {
        "Fn::Join": [
            "",
            [
                "rediss://:{{resolve:secretsmanager:",
                {"Ref": token},
                ":SecretString:token::}}@",
                {"Fn::GetAtt": [replication, "PrimaryEndPoint.Address"]},
                ":",
                {"Fn::GetAtt": [replication, "PrimaryEndPoint.Port"]},
                "/0",
            ],
        ]
    }
    assert "KmsKeyId" in url
    assert "ReaderEndPoint" not in json.dumps(data_template("test"))  # writes never to a replica


def test_only_cache_of_a_service_is_also_its_redis_url(synth: SynthResult) -> None:
    url = {"Ref": logical_id("test", SECRET, "CacheSessionUrl")}
    api = secrets_of("test", "api")
    assert api["REDIS_URL"] == url
    assert api["CACHE_SESSION_URL"] == url


def test_service_with_two_caches_gets_one_url_each_and_no_redis_url(synth: SynthResult) -> None:
    worker = secrets_of("test", "worker")
    assert "REDIS_URL" not in worker
    assert worker["CACHE_SCRATCH_URL"] == {"Ref": logical_id("test", SECRET, "CacheScratchUrl")}
    token = logical_id("test", SECRET, "CacheScratchAuthToken")
    assert worker["CACHE_SCRATCH_AUTH_TOKEN"] == {"Fn::Join": ["", [{"Ref": token}, ":token::"]]}
    plain = environment_of("test", "worker")
    scratch = logical_id("test", GROUP, "CacheScratch")
    assert plain["CACHE_SCRATCH_HOST"] == {"Fn::GetAtt": [scratch, "PrimaryEndPoint.Address"]}
    assert plain["CACHE_SCRATCH_PORT"] == {"Fn::GetAtt": [scratch, "PrimaryEndPoint.Port"]}
    assert not any("URL" in name or "TOKEN" in name for name in plain)


def test_express_service_gets_the_same_secrets_by_arn(synth: SynthResult) -> None:
    service = resource("test", "AWS::ECS::ExpressGatewayService", "ServiceAdmin")
    secrets = {
        entry["Name"]: entry["ValueFrom"]
        for entry in service["Properties"]["PrimaryContainer"]["Secrets"]
    }
    url = {"Ref": logical_id("test", SECRET, "CacheSessionUrl")}
    assert (secrets["REDIS_URL"], secrets["CACHE_SESSION_URL"]) == (url, url)
    assert "CACHE_SESSION_AUTH_TOKEN" in secrets


def test_execution_role_may_read_the_url_and_token_secrets(synth: SynthResult) -> None:
    policy = resource("test", "AWS::IAM::Policy", "ServiceApiTaskDefinitionExecutionRole")
    readable = [
        s["Resource"]
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if "secretsmanager:GetSecretValue" in s["Action"]
    ]
    for name in ("CacheSessionUrl", "CacheSessionAuthToken"):
        assert {"Ref": logical_id("test", SECRET, name)} in readable


@pytest.mark.parametrize(
    ("cache", "expected"),
    [
        ("session", {"engine-cpu", "memory", "evictions", "replication-lag"}),
        ("scratch", {"engine-cpu", "memory", "evictions"}),
    ],
)
def test_alarms_watch_every_node(synth: SynthResult, cache: str, expected: set[str]) -> None:
    found = alarms("test", f"ledger-test-{cache}-")
    assert {name.removeprefix(f"ledger-test-{cache}-") for name in found} == expected
    cpu = found[f"ledger-test-{cache}-engine-cpu"]
    nodes = [m for m in cpu["Metrics"] if "MetricStat" in m]
    assert len(nodes) == (2 if cache == "session" else 1)
    assert all(a["AlarmDescription"].startswith("Why: ") for a in found.values())


def test_prod_keeps_a_final_snapshot_test_does_not(synth: SynthResult) -> None:
    assert resource("prod", GROUP, "CacheSession")["DeletionPolicy"] == "Snapshot"
    assert resource("test", GROUP, "CacheSession")["DeletionPolicy"] == "Delete"


@pytest.mark.parametrize(
    ("window", "snapshot"),
    [
        ("sun:05:00-sun:06:00", "03:00-04:00"),
        ("mon:01:00-mon:02:00", "23:00-00:00"),
        ("tue:00:30-tue:01:30", "22:00-23:00"),
    ],
)
def test_snapshot_window_ends_an_hour_before_maintenance(window: str, snapshot: str) -> None:
    assert snapshot_window(window) == snapshot


@pytest.mark.parametrize(
    ("replicas", "zones", "expected"), [(0, 3, False), (1, 2, True), (1, 1, False), (2, 3, True)]
)
def test_failover_needs_a_replica_and_a_second_zone(
    replicas: int, zones: int, expected: bool
) -> None:
    assert failover(Cache(replicas=replicas), zones) is expected
