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
