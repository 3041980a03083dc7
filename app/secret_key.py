"""The key that signs sessions: generated once into the instance folder, never a constant.

Without SECRET_KEY in the environment (development), a random key is written to
``<instance>/secret_key`` on first start, readable by its owner only, and reused
after. Every worker that starts at the same moment ends up with the same key: the
file appears whole or not at all (written aside, then hard-linked into place).
Outside tests, a known key (a published default) or a short one refuses to start.
"""
from __future__ import annotations

import os
import secrets

MIN_LENGTH = 32
# Keys that have been published (this project's old defaults, common placeholders).
KNOWN_KEYS = frozenset({"dev-only-not-secret", "testing-only", "dev", "secret", "changeme",
                        "change-me", "secret-key", "your-secret-key", "development",
                        "super-secret", "supersecret", "not-secret"})
FILE_NAME = "secret_key"


def check_secret_key(key: str | bytes) -> None:
    """Refuse a key anyone could know or guess."""
    text = key.decode("utf-8", "replace") if isinstance(key, bytes) else str(key)
    if text.strip().lower() in KNOWN_KEYS:
        raise RuntimeError("SECRET_KEY is a published default: anyone could sign a session "
                           "with it. Unset it (a random key is generated) or set a random "
                           f"one of {MIN_LENGTH}+ characters.")
    if len(text) < MIN_LENGTH:
        raise RuntimeError(f"SECRET_KEY must be at least {MIN_LENGTH} characters "
                           "(python -c 'import secrets; print(secrets.token_hex(32))').")


def instance_secret_key(instance_path: str) -> str:
    """The instance folder's key, generated (0600) on first use."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, FILE_NAME)
    if not os.path.exists(path):
        aside = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_hex(32))
        try:
            os.link(aside, path)  # fails if another worker got there first: use theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(aside)
    with open(path, encoding="ascii") as stream:
        key = stream.read().strip()
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)
    return key
