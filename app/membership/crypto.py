"""Field-level encryption of special category data (access needs, lived experience).

Keys come from the configuration, ``MEMBER_DATA_KEYS``: one or more Fernet keys
separated by commas or spaces. The first encrypts; every key decrypts, so a new
key goes first and the old ones stay until ``flask network rotate-keys`` has
re-encrypted every row with the new one. A value that no key opens raises
:class:`MemberDataKeyError` with a message that says what to check, never
garbage and never a traceback on a page.
"""
from __future__ import annotations

import json
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app

CONFIG_NAME = "MEMBER_DATA_KEYS"
_EXTENSION = "member_data_keys"


class MemberDataKeyError(RuntimeError):
    """The member data keys are missing, malformed or do not open a stored value."""


def parse_keys(value: str | list[str] | tuple[str, ...] | None) -> list[Fernet]:
    """Fernet objects for the configured keys, first (encrypting) key first."""
    if not value:
        return []
    texts = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    keys = []
    for position, text in enumerate(texts, start=1):
        try:
            keys.append(Fernet(text.strip() if isinstance(text, str) else text))
        except (ValueError, TypeError):
            raise MemberDataKeyError(
                f"{CONFIG_NAME}: key {position} is not a Fernet key (32 url-safe base64-encoded "
                "bytes; make one with `flask network new-key`)") from None
    return keys


class MemberDataKeys:
    """The configured keys: encrypt with the first, decrypt with any."""

    def __init__(self, keys: list[Fernet]) -> None:
        self._keys = keys
        self._fernet = MultiFernet(keys) if keys else None

    @property
    def count(self) -> int:
        return len(self._keys)

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise MemberDataKeyError(
                f"{CONFIG_NAME} is not set, so the network's access needs and lived "
                "experience cannot be read or saved. Set it to one or more Fernet keys.")
        return self._fernet

    def encrypt(self, value: Any) -> str:
        """The value as JSON, encrypted with the first key (ASCII text)."""
        plain = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
        return self._require().encrypt(plain).decode("ascii")

    def decrypt(self, token: str) -> Any:
        """The value a token holds; MemberDataKeyError if no configured key opens it."""
        fernet = self._require()
        try:
            return json.loads(fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeError):
            raise MemberDataKeyError(
                "Stored member data could not be decrypted with the keys in "
                f"{CONFIG_NAME}: the key it was saved with is not among them (a key "
                "removed too early, or the wrong key for this database).") from None

    def rotate(self, token: str) -> str:
        """The same value encrypted with the first key (for re-encryption)."""
        fernet = self._require()
        try:
            return fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError, UnicodeError):
            raise MemberDataKeyError(
                f"A stored value could not be re-encrypted: no key in {CONFIG_NAME} opens "
                "it. Put the old key back in the list and run the command again.") from None


def new_key() -> str:
    """A fresh Fernet key as text."""
    return Fernet.generate_key().decode("ascii")


KEY_FILE_NAME = "member-data.key"


def _instance_key(app: Flask) -> str:
    """Development only: a key kept in the instance folder, made on first start."""
    os.makedirs(app.instance_path, exist_ok=True)
    path = os.path.join(app.instance_path, KEY_FILE_NAME)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as stream:
            stream.write(new_key() + "\n")
    with open(path, encoding="ascii") as stream:
        return stream.read().strip()


def init_app(app: Flask) -> None:
    """Read the keys once at start; a malformed key stops the app with the reason."""
    configured = app.config.get(CONFIG_NAME)
    if not configured and app.config.get("MEMBER_DATA_KEY_FILE"):
        configured = _instance_key(app)
    try:
        keys = parse_keys(configured)
    except MemberDataKeyError as error:
        raise RuntimeError(str(error)) from None
    app.extensions[_EXTENSION] = MemberDataKeys(keys)
    if not keys:
        app.logger.warning("%s is not set: the network register cannot open member data",
                           CONFIG_NAME)


def keys() -> MemberDataKeys:
    """The current app's member data keys."""
    return current_app.extensions[_EXTENSION]
