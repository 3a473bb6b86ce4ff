"""The environment's KMS key: kept with prod data, deleted with a test environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_cdk.assertions import Template


def test_prod_keeps_data_test_does_not(core_prod: Template, core_test: Template) -> None:
    core_prod.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Retain"})
    core_test.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Delete"})
