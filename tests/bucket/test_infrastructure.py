"""Buckets in the data-capabilities manifest: private, encrypted, TLS-only, logged, wired."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from shipway.manifest import resolve
from shipway.manifest.names import MAX_BUCKET_NAME
from shipway.stack_names import per_stack_name
from tests.data.data_capabilities.synthesized import (
    actions,
    data_manifest,
    environment_of,
    logical_id,
    resource,
    resources,
    role_statements,
)

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult

BUCKET = "AWS::S3::Bucket"
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def bucket(env: str, name: str) -> dict[str, Any]:
    return resource(env, BUCKET, f"Bucket{name}Bucket")["Properties"]


@pytest.mark.parametrize("name", ["UsersImport", "Exports"])
def test_bucket_is_private_kms_encrypted_and_logged(synth: SynthResult, name: str) -> None:
    properties = bucket("test", name)
    key = logical_id("test", "AWS::KMS::Key", "Encryption")
    assert properties["PublicAccessBlockConfiguration"] == BLOCK_ALL
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {
            "BucketKeyEnabled": True,
            "ServerSideEncryptionByDefault": {
                "KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]},
                "SSEAlgorithm": "aws:kms",
            },
        }
    ]
    assert properties["OwnershipControls"] == {
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]
    }
    logs = logical_id("test", BUCKET, "S3AccessLogs")
    assert properties["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs}
    rules = {rule["Id"]: rule for rule in properties["LifecycleConfiguration"]["Rules"]}
    assert rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"] == {
        "DaysAfterInitiation": 7
    }


def test_versioning_and_noncurrent_expiry_follow_the_manifest(synth: SynthResult) -> None:
    imports, exports = bucket("test", "UsersImport"), bucket("test", "Exports")
    assert imports["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in imports["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-noncurrent-versions"]["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": 30
    }
    assert "VersioningConfiguration" not in exports
    skips = resource("test", BUCKET, "BucketExportsBucket")["Metadata"]["checkov"]["skip"]
    assert [skip["id"] for skip in skips] == ["CKV_AWS_21"]


@pytest.mark.parametrize("name", ["UsersImport", "Exports", "S3AccessLogs"])
def test_every_bucket_refuses_plain_http(synth: SynthResult, name: str) -> None:
    target = logical_id("test", BUCKET, name if name.startswith("S3") else f"Bucket{name}")
    policy = next(
        p["Properties"]
        for p in resources("test", "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": target}
    )
    deny = policy["PolicyDocument"]["Statement"][0]
    assert (deny["Effect"], deny["Action"]) == ("Deny", "s3:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_access_log_bucket_takes_logs_from_each_bucket_under_its_prefix(synth: SynthResult) -> None:
    logs = resource("test", BUCKET, "S3AccessLogs")["Properties"]
    assert logs["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert logs["PublicAccessBlockConfiguration"] == BLOCK_ALL
    target = logical_id("test", BUCKET, "S3AccessLogs")
    policy = next(
        p["Properties"]
        for p in resources("test", "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": target}
    )
    writers = [
        s
        for s in policy["PolicyDocument"]["Statement"]
        if s.get("Principal") == {"Service": "logging.s3.amazonaws.com"}
    ]
    assert len(writers) == 2
    assert all(
        s["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"} for s in writers
    )


@pytest.mark.parametrize(("env", "policy"), [("test", "Delete"), ("prod", "Retain")])
def test_buckets_are_kept_where_the_environment_protects_data(
    synth: SynthResult, env: str, policy: str
) -> None:
    for body in resources(env, BUCKET).values():
        assert body["DeletionPolicy"] == policy


def test_bucket_name_is_injected_as_bucket_variable(synth: SynthResult) -> None:
    api = environment_of("test", "api")
    assert api["BUCKET_USERS_IMPORT"] == {"Ref": logical_id("test", BUCKET, "BucketUsersImport")}
    assert api["BUCKET_EXPORTS"] == {"Ref": logical_id("test", BUCKET, "BucketExports")}
    assert "BUCKET_USERS_IMPORT" not in environment_of("test", "worker")


def _object_actions(service: str, name: str) -> set[str]:
    target = logical_id("test", BUCKET, f"Bucket{name}")
    objects = {"Fn::Join": ["", [{"Fn::GetAtt": [target, "Arn"]}, "/*"]]}
    return actions(
        [
            s
            for s in role_statements("test", f"Service{service}TaskDefinitionTaskRole")
            if s["Resource"] == objects
        ]
    )


def test_read_only_use_cannot_write_objects(synth: SynthResult) -> None:
    assert _object_actions("Worker", "Exports") == {"s3:GetObject"}


def test_read_write_use_may_put_and_delete_objects(synth: SynthResult) -> None:
    assert _object_actions("Api", "Exports") == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
    }


def test_bucket_key_grants_go_through_s3_only(synth: SynthResult) -> None:
    statements = role_statements("test", "ServiceWorkerTaskDefinitionTaskRole")
    through_s3 = [
        s
        for s in statements
        if s.get("Condition") == {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
    ]
    assert actions(through_s3) == {"kms:Decrypt"}


def test_bucket_names_end_with_the_stacks_own_suffix(synth: SynthResult) -> None:
    # Buckets outlive a failed first create (access logs land at once): a fixed name would make
    # the retry fail with "already exists". The suffix comes from this stack's id.
    name = resource("prod", BUCKET, "BucketUsersImport")["Properties"]["BucketName"]
    joined = name["Fn::Join"][1]
    assert joined[0] == "ledger-prod-users-import-"
    assert joined[1]["Fn::Select"][1]["Fn::Split"][0] == "-"
    assert "AWS::StackId" in json.dumps(joined[1])


def test_long_bucket_names_are_shortened_with_a_hash_to_fit() -> None:
    stem = "ledger-a-very-long-environment-name-x-an-equally-long-bucket-name-yz"
    name = per_stack_name(stem, MAX_BUCKET_NAME)
    head = name.split("${Token")[0]
    assert len(head) + 8 <= MAX_BUCKET_NAME and head.endswith("-")  # eight hex digits follow
    assert per_stack_name(stem, MAX_BUCKET_NAME).split("${Token")[0] == head
    assert per_stack_name(stem[:-1] + "y", MAX_BUCKET_NAME).split("${Token")[0] != head


def test_the_plan_names_each_bucket_once_per_environment() -> None:
    plan = resolve(data_manifest(), "prod")
    assert plan.buckets["users-import"].physical_name == "ledger-prod-users-import"
    assert plan.buckets["users-import"].loader_name == "ledger-prod-users-import-loader"
