"""Checking a username and password, and moving legacy hashes to scrypt on success."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from bootcamp_api.passwords import MalformedHashError, is_scrypt, legacy_matches
from bootcamp_api.users import UserRecordError

if TYPE_CHECKING:
    from bootcamp_api.passwords import PasswordHasher
    from bootcamp_api.users import User, UserTable

logger = logging.getLogger(__name__)


class LoginService:
    """Authenticate against the user table; blocking (DynamoDB, scrypt): run it in a thread."""

    def __init__(self, users: UserTable, hasher: PasswordHasher) -> None:
        self.users = users
        self.hasher = hasher

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches, else None; one scrypt's work either way.

        Raises botocore errors when the table cannot be read.
        """
        try:
            user = self.users.find(username)
        except UserRecordError:
            logger.exception("unusable user record", extra={"username": username})
            user = None
        if user is None:
            self.hasher.burn(password)
            return None
        if not self._password_matches(user, password):
            return None
        if self.hasher.needs_rehash(user.password):
            self._upgrade(user, password)
        return user

    def _password_matches(self, user: User, password: str) -> bool:
        try:
            if is_scrypt(user.password):
                return self.hasher.verify(password, user.password)
            if user.salt is None:
                raise MalformedHashError("legacy hash without a salt")
        except MalformedHashError:
            logger.exception("unusable password hash", extra={"username": user.username})
            self.hasher.burn(password)
            return False
        if legacy_matches(password, user.salt, user.password):
            return True  # the upgrade that follows costs one scrypt
        self.hasher.burn(password)
        return False

    def _upgrade(self, user: User, password: str) -> None:
        new_hash = self.hasher.hash(password)
        try:
            replaced = self.users.replace_password(user, new_hash)
        except (BotoCoreError, ClientError) as error:
            logger.warning(
                "password hash upgrade failed, will retry at the next login",
                extra={"username": user.username, "error": str(error)},
            )
            return
        logger.info(
            "password hash upgraded"
            if replaced
            else "password hash changed concurrently, upgrade skipped",
            extra={"username": user.username, "scheme": "scrypt"},
        )
