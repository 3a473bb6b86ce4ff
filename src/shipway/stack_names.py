"""Physical names that survive a failed first deploy.

A resource kept on deletion (prod data, every bucket) outlives a failed first create of its
stack: CloudFormation rolls back, keeps it, and the next deploy fails with "already exists" if
the name is fixed. Such names end with eight hex digits of the stack's own id, which is new for
each creation of the stack and stable for its life.
"""

from __future__ import annotations

import hashlib

import aws_cdk as cdk

SUFFIX_LENGTH = 9  # "-" and eight hex digits


def stack_suffix() -> str:
    """`-1a2b3c4d`: from AWS::StackId (arn:...:stack/<name>/<uuid>), as a token."""
    uuid = cdk.Fn.select(2, cdk.Fn.split("/", cdk.Aws.STACK_ID))
    return "-" + cdk.Fn.select(0, cdk.Fn.split("-", uuid))


def per_stack_name(stem: str, max_length: int) -> str:
    """stem, shortened with a hash if need be, then the stack's suffix."""
    room = max_length - SUFFIX_LENGTH
    if len(stem) > room:
        digest = hashlib.sha256(stem.encode()).hexdigest()[:8]
        stem = f"{stem[: room - len(digest) - 1].rstrip('-')}-{digest}"
    return stem + stack_suffix()


def kept_name(stem: str, *, retain: bool, max_length: int = 255) -> str:
    """A retained resource's name ends with the stack's suffix; others keep the stem."""
    return per_stack_name(stem, max_length) if retain else stem
