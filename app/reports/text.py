"""Making user-typed text safe for reportlab, spreadsheets and file names.

reportlab paragraphs read a small XML-like markup, so ``<`` and ``&`` in a
title would be taken as tags or entities. Every piece of text a user typed
goes through :func:`markup` before it reaches a Paragraph: it then prints
exactly as typed.
"""
from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

# Characters that cannot appear in a PDF text string or in XML: C0 controls
# other than tab/newline/carriage return, lone surrogates, and non-characters;
# also the soft hyphen, an invisible hint that reportlab's paragraph parser
# handles inconsistently (after an entity it drops it from the text).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\xad\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?|\n")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def summary_opening(title: str, client: str, level: str | None) -> str:
    """The plan's first sentence (PDF and Word; title and client already made safe by the
    caller): a plan at level none records why nobody is involved, it does not say how."""
    if level == "none":
        return (f"This plan records why people who use services and carers will not be "
                f"involved in {title} for {client}: the record that co-production was "
                f"considered.")
    return (f"This plan sets out how people who use services and carers will be involved in "
            f"{title} for {client}, what it will cost, and how much time it adds.")


#: Why the budget to request is more than the total, in the plan documents' words.
BUDGET_TO_REQUEST_WHY = (
    "The total assumes every session, hour and journey goes as planned. Sessions overrun and "
    "staff time grows, often on several lines at once, so ask for the budget to request: the "
    "total plus the recommended contingency, which covers the cost in 4 of 5 simulated "
    "outcomes.")


def clean(text: object) -> str:
    """User text as a str with unprintable control characters removed."""
    if text is None:
        return ""
    return _UNPRINTABLE.sub("", str(text))


def markup(text: object) -> str:
    """Escape user text for reportlab paragraph markup; newlines become breaks.

    ``Transition <resources> & films`` renders as typed, never as a tag.
    """
    escaped = escape(clean(text))
    return _NEWLINES.sub("<br/>", escaped)


def one_line(text: object) -> str:
    """User text collapsed to a single line (for headers and metadata)."""
    return " ".join(clean(text).split())


def starts_formula(text: str) -> bool:
    """Would a spreadsheet read ``text``, typed into a cell, as a formula?"""
    return text.startswith(_FORMULA_START)


def spreadsheet_cell(text: object) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula.

    A cell starting with = + - @ (or a tab/CR) is prefixed with an apostrophe,
    as OWASP recommends against CSV injection. (An XLSX text cell keeps the text
    as typed and marks it quote-prefixed instead: see ``exports.py``.)
    """
    value = clean(text)
    return "'" + value if starts_formula(value) else value


def slug(text: object, fallback: str = "bid", max_length: int = 60,
         keep_case: bool = False) -> str:
    """A safe ASCII file-name fragment: letters (lower case unless `keep_case`), digits
    and hyphens only."""
    ascii_text = unicodedata.normalize("NFKD", clean(text)).encode("ascii", "ignore").decode()
    if not keep_case:
        ascii_text = ascii_text.lower()
    value = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
    return value[:max_length].strip("-") or fallback


def plan_filename(reference: object, version: int | None, ext: str = "pdf") -> str:
    """``<bid-reference>-v<version>-coproduction-plan.<ext>`` for downloads."""
    return _filename(reference, version, "coproduction-plan", ext)


def budget_filename(reference: object, version: int | None, ext: str = "csv") -> str:
    """``<bid-reference>-v<version>-budget.<ext>`` (ext ``csv`` or ``xlsx``)."""
    return _filename(reference, version, "budget", ext)


def _filename(reference: object, version: int | None, kind: str, ext: str) -> str:
    """Join the reference (as typed, made safe), version and kind into a file name."""
    suffix = slug(ext, "bin", 8)
    number = f"-v{int(version)}" if version is not None else "-draft"
    return f"{slug(reference, keep_case=True)}{number}-{kind}.{suffix}"
