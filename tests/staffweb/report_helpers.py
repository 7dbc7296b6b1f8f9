"""Helpers for the Report page tests: read a page's forms the way a browser would submit them,
and the rows of the report sheet."""

import re
from html.parser import HTMLParser


class _Fields(HTMLParser):
    """The successful controls of one form: inputs and selects inside <form id=...> or pointing
    at it with form="..."; checkboxes only when checked."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None

    def _mine(self, attrs: dict) -> bool:
        return attrs.get("form", self.form_id if self.inside else None) == self.form_id

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = dict(attrs_list)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        elif tag == "input" and self._mine(attrs) and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind in {"submit", "button"}:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and self._mine(attrs):
            self.select = {"name": attrs.get("name"), "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            self.fields.append(
                (self.select["name"], self.select["first"] if chosen is None else chosen)
            )
            self.select = None


def form_data(html: str, form_id: str, **changes: str) -> dict[str, str | list[str]]:
    """What pressing the form's submit button sends, with `changes` (field name → value)
    applied. Names repeated (checkboxes) become lists."""
    parser = _Fields(form_id)
    parser.feed(html)
    data: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    data.update(changes)
    return data


class _Rows(HTMLParser):
    """The body rows of the table with class report-sheet: cell texts as a person reads them,
    without selects, labels and visually hidden text."""

    VOID = frozenset({"input", "br", "img", "meta", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.in_body = False
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.rows: list[tuple[str, ...]] = []
        self.stack: list[tuple[str, bool]] = []  # open elements within the table, hidden or not

    @property
    def hidden(self) -> bool:
        return any(h for _t, h in self.stack)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "report-sheet" in classes:
            self.inside = True
            return
        if not self.inside or tag in self.VOID:
            return
        hidden = tag in {"select", "label", "caption"} or "visually-hidden" in classes
        self.stack.append((tag, hidden))
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag in {"td", "th"} and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(tuple(self.row))
            self.row = None
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def sheet_rows(html: str) -> list[tuple[str, ...]]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def key(person) -> str:
    return f"p{person.public_id.hex}"


def alert_text(html: str) -> str:
    match = re.search(r'id="problems">(.*?)</div>', html, re.S)
    if not match:
        return ""
    inline = re.sub(r"</?(a|span)\b[^>]*>", "", match.group(1))
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())
