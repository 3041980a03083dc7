"""Reading pages the way a browser would, for tests and benchmarks."""
from __future__ import annotations


def form_fields(page: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser would post from a page's form: inputs, checked boxes, selected options."""
    from html.parser import HTMLParser

    class FormReader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.fields: dict[str, str] = {}
            self.inside = form_id is None
            self.select: str | None = None

        def handle_starttag(self, tag, attrs) -> None:
            attributes = dict(attrs)
            if tag == "form" and form_id is not None:
                self.inside = attributes.get("id") == form_id
            if not self.inside:
                return
            name = attributes.get("name")
            if tag == "input" and name and attributes.get("type") not in ("submit", "button"):
                if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                    return
                self.fields[name] = attributes.get("value") or ""
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select:
                # A browser posts the selected option, or the first when none is.
                if "selected" in attributes or self.select not in self.fields:
                    self.fields[self.select] = attributes.get("value") or ""

        def handle_endtag(self, tag) -> None:
            if tag == "select":
                self.select = None
            elif tag == "form" and form_id is not None:
                self.inside = False

    reader = FormReader()
    reader.feed(page)
    return reader.fields
