"""Users in DynamoDB: key `username`; `password`, `role` and, for legacy hashes, `salt`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

logger = logging.getLogger(__name__)


class UserRecordError(ValueError):
    """A user item lacks a string `password` or `role`."""


@dataclass(frozen=True)
class User:
    """What login needs of a user."""

    username: str
    role: str
    password: str
    salt: str | None = None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> User:
        """Read a DynamoDB item (low-level attribute values)."""
        try:
            return cls(
                username=item["username"]["S"],
                role=item["role"]["S"],
                password=item["password"]["S"],
                salt=item["salt"]["S"] if "salt" in item else None,
            )
        except (KeyError, TypeError) as error:
            raise UserRecordError(f"user item lacks a string attribute: {error}") from None


class UserTable:
    """Read users and replace their password hash, through one boto3 client."""

    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def find(self, username: str) -> User | None:
        """The user with this username, or None."""
        response = self.client.get_item(
            TableName=self.table_name, Key={"username": {"S": username}}, ConsistentRead=True
        )
        item = response.get("Item")
        return User.from_item(item) if item else None

    def replace_password(self, user: User, new_hash: str) -> bool:
        """Store new_hash and drop the legacy salt, unless the hash changed since `user` was read.

        Returns False when another writer got there first (their change wins).
        """
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key={"username": {"S": user.username}},
                UpdateExpression="SET #password = :new REMOVE #salt",
                ConditionExpression="#password = :old",
                ExpressionAttributeNames={"#password": "password", "#salt": "salt"},
                ExpressionAttributeValues={":new": {"S": new_hash}, ":old": {"S": user.password}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True
