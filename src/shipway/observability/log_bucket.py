"""A bucket that receives logs (load balancer access logs, S3 server access logs)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov

NOT_ITS_OWN_LOG = (
    "This bucket is the destination of access logs; logging its own access would log the log "
    "writes."
)


class LogBucket(Construct):
    """SSE-S3 (the only encryption log delivery supports), TLS-only, private, expiring."""

    def __init__(
        self, scope: Construct, construct_id: str, *, retain: bool, retention_days: int
    ) -> None:
        super().__init__(scope, construct_id)
        # Log delivery through a bucket policy, not the LogDeliveryWrite ACL that owner-enforced
        # object ownership forbids (CDK's recommended value of this flag).
        self.node.set_context("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", True)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(retention_days),
                    noncurrent_version_expiration=cdk.Duration.days(7),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY,
        )
        acknowledge(self.bucket, "S1", NOT_ITS_OWN_LOG)
        skip_checkov(self.bucket, "CKV_AWS_18", NOT_ITS_OWN_LOG)
        skip_checkov(
            self.bucket,
            "CKV_AWS_145",
            "Load balancer and S3 server access logs are delivered only to buckets encrypted "
            "with SSE-S3 (AES256), not SSE-KMS.",
        )
