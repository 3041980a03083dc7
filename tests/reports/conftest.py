"""Fixtures for the report tests: real engine estimates and PDF readers."""
from __future__ import annotations

import io
import os
import shutil

import pytest
from pypdf import PdfReader

from app.costing import estimate
from tests.reports import plans


def pdf_text(content: bytes) -> str:
    """All the text pypdf extracts, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def require_tool(name: str, package: str = "poppler-utils",
                 purpose: str = "it opens the PDF in a second, independent reader") -> str:
    """Path of a command-line tool; missing is a failure in CI, a skip elsewhere."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package {package}); {purpose}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def full_plan() -> dict:
    return plans.full_plan()


@pytest.fixture(scope="session")
def full_estimate(full_plan) -> dict:
    return estimate(full_plan)


@pytest.fixture(scope="session")
def none_plan() -> dict:
    return plans.none_plan()


@pytest.fixture(scope="session")
def none_estimate(none_plan) -> dict:
    return estimate(none_plan)
