"""What a browser would send back from a page's form, read from the page's HTML.

The fuzz tests start every example from a form the page itself offers (the staff's formsets with
their management forms, the current values, the choices), so that a replaced field meets the
form's deeper rules instead of failing on a field the test forgot. Only the standard library's
HTML parser is used: the pages are our own templates, well formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Kinds of fields, as the fuzz strategies tell them apart.
TEXT_TYPES = frozenset({"text", "search", "email", "tel", "url", "password"})
NO_VALUE_TYPES = frozenset({"submit", "button", "reset", "image"})


@dataclass
class Field:
    name: str
    kind: str  # an input's type, or "textarea", "select", "select-multiple"
    values: list[str] = field(default_factory=list)  # what the browser sends as the page stands
    options: list[str] = field(default_factory=list)  # a select's, a radio group's or checkboxes' values

    @property
    def typed(self) -> bool:
        """A field a person types into (its value should come back on a refused form)."""
        return self.kind in TEXT_TYPES - {"password"} | {"textarea", "number", "date", "time"}


@dataclass
class Form:
    action: str  # the path the form is sent to
    method: str
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons (name, value)

    def data(self) -> dict[str, list[str]]:
        """The form as sent without a change (no file chosen, no named button pressed)."""
        return {name: list(f.values) for name, f in self.fields.items() if f.kind != "file" and f.values}


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._selected: list[str] = []

    def _field(self, name: str, kind: str) -> Field:
        assert self._form is not None
        return self._form.fields.setdefault(name, Field(name, kind))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in NO_VALUE_TYPES:
                self._form.buttons.append((name, a.get("value", "")))
                return
            f = self._field(name, kind)
            if kind in ("checkbox", "radio"):
                f.options.append(a.get("value", "on"))
                if "checked" in a:
                    f.values.append(a.get("value", "on"))
            elif kind != "file":
                f.values.append(a.get("value", ""))
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            self._form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = self._field(name, "textarea")
            self._textarea.values.append("")
        elif tag == "select" and name:
            self._select = self._field(name, "select-multiple" if "multiple" in a else "select")
            self._selected = []
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.values[-1] += data
        elif self._option is not None:
            self._option_text += data

    def _end_option(self) -> None:
        if self._option is None or self._select is None:
            return
        value, selected = self._option
        value = self._option_text.strip() if value is None else value
        self._select.options.append(value)
        if selected:
            self._selected.append(value)
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline that follows <textarea>; browsers drop it.
            value = self._textarea.values[-1]
            self._textarea.values[-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            if self._selected:
                self._select.values = self._selected
            elif self._select.kind == "select" and self._select.options:
                self._select.values = [self._select.options[0]]  # what a browser sends: the first
            self._select = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def find_form(html: str, page_url: str, action: str, *, having: str | None = None) -> Form:
    """The page's form sent to `action` (a path); with `having`, the one with a field of that name
    (the settings page sends two forms to one address)."""
    found = [f for f in forms_of(html, page_url) if f.action == action and (having is None or having in f.fields)]
    assert found, f"no form to {action} (with {having!r}) on {page_url}"
    return found[0]
