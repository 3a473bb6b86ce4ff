"""Buckets in the data-capabilities manifest: private, encrypted, TLS-only, logged, wired."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from shipway.bucket.infrastructure import MAX_NAME, bucket_name
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
    logs = logical_id("test", BUCKET, "BucketAccessLogs")
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


@pytest.mark.parametrize("name", ["UsersImport", "Exports", "AccessLogs"])
def test_every_bucket_refuses_plain_http(synth: SynthResult, name: str) -> None:
    target = logical_id("test", BUCKET, f"Bucket{name}")
    policy = next(
        p["Properties"]
        for p in resources("test", "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": target}
    )
    deny = policy["PolicyDocument"]["Statement"][0]
    assert (deny["Effect"], deny["Action"]) == ("Deny", "s3:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_access_log_bucket_takes_logs_from_each_bucket_under_its_prefix(synth: SynthResult) -> None:
    logs = resource("test", BUCKET, "BucketAccessLogs")["Properties"]
    assert logs["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert logs["PublicAccessBlockConfiguration"] == BLOCK_ALL
    target = logical_id("test", BUCKET, "BucketAccessLogs")
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


def test_bucket_names_are_readable_unique_per_account_and_region() -> None:
    context = _context_for("ledger", "test")
    assert bucket_name(context, "users-import") == "ledger-test-users-import-123456789012-us-east-1"


def test_long_bucket_names_are_shortened_with_a_hash() -> None:
    context = _context_for("ledger", "a-very-long-environment-name-x")
    name = bucket_name(context, "an-equally-long-bucket-name-yz")
    again = bucket_name(context, "an-equally-long-bucket-name-yz")
    other = bucket_name(context, "an-equally-long-bucket-name-yy")
    assert len(name) <= MAX_NAME and name == again and name != other
    assert name.endswith("-123456789012-us-east-1")
    assert "--" not in name


def _context_for(app: str, environment: str) -> Any:
    manifest = data_manifest()

    class Context:  # only what bucket_name reads
        def __init__(self) -> None:
            self.environment = manifest.environment("test")

        def physical_name(self, name: str) -> str:
            return f"{app}-{environment}-{name}"

    return Context()
