"""Reading pages the way a browser would, for tests, the scale-out test and the
load test's users: what each form on a page would post."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

NOT_POSTED = ("submit", "button", "file", "image", "reset")


@dataclass
class Form:
    id: str | None
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class FormReader(HTMLParser):
    """Every <form> on a page with the fields a browser would post from it: text
    inputs, checked boxes, the selected option (or the first), textareas' text."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attributes.get("id"), attributes.get("action") or ""))
            return
        if not self.forms:
            return
        fields, name = self.forms[-1].fields, attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    fields[name] = attributes.get("value", "on")
            elif kind not in NOT_POSTED:
                fields[name] = attributes.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in attributes or self._select not in fields:
                fields[self._select] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms(page: str) -> list[Form]:
    reader = FormReader()
    reader.feed(page)
    return reader.forms


def form_fields(page: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser would post from the form with this id (every form's fields
    together when no id is given)."""
    fields: dict[str, str] = {}
    for form in forms(page):
        if form_id is None or form.id == form_id:
            fields.update(form.fields)
    return fields


def form_with(page: str, has_field: str) -> dict[str, str]:
    """The fields of the first form on the page that has a field of this name."""
    for form in forms(page):
        if has_field in form.fields:
            return dict(form.fields)
    raise LookupError(f"no form with a {has_field!r} field on the page")


def text_of(response) -> str:
    """A response's page as the words a reader sees: tags dropped, entities decoded,
    whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
                    .split())


# The load test's users read a form from every editor page they open; HTMLParser visits
# every tag and text run of a 40 KB page (about 4 ms), and the users run on the same two
# cores as the server they measure. This reader visits only the form tags, with the same
# result on the app's pages (tests/test_html_reader.py compares the two).
_FORM_TAG = re.compile(r"<(/?)(form|input|select|option|textarea)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_END_TEXTAREA = re.compile(r"</textarea\s*>", re.IGNORECASE)


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(text):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


def quick_forms(page: str) -> list[Form]:
    """:func:`forms`, reading only the form tags (pages without comments or scripts that
    hold form tags, as the app's are)."""
    reader = FormReader()
    position = 0
    while (match := _FORM_TAG.search(page, position)) is not None:
        position = match.end()
        closing, tag = match.group(1), match.group(2).lower()
        if closing:
            reader.handle_endtag(tag)
            continue
        attributes = _attributes(match.group(3))
        reader.handle_starttag(tag, list(attributes.items()))
        if tag == "textarea":
            end = _END_TEXTAREA.search(page, position)
            stop = end.start() if end else len(page)
            reader.handle_data(html.unescape(page[position:stop]))
            reader.handle_endtag("textarea")
            position = end.end() if end else stop
    return reader.forms


def quick_form_with(page: str, has_field: str) -> dict[str, str]:
    """:func:`form_with` through :func:`quick_forms`."""
    for form in quick_forms(page):
        if has_field in form.fields:
            return dict(form.fields)
    raise LookupError(f"no form with a {has_field!r} field on the page")
