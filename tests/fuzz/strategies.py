"""Hypothesis strategies for what anyone can send in a form field: text, numbers, dates, times, files.

Only what HTTP can carry: any Unicode character but lone surrogates (they have no UTF-8 form), so
NUL, control characters, right-to-left marks and emoji are all in. Markup always carries `MARKER`,
an element no template of ours writes: seen raw in a response, something was not escaped.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from .pages import Field, Form

MARKER = '<x-fuzz a="1">'

# Every character but surrogates (category Cs): NUL and the other control characters included.
SENDABLE = st.characters(exclude_categories=["Cs"])
ASCII_CONTROL = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\r", "\n", "\t", "\u202e"])

MARKUP = [
    MARKER,
    f'"><x-fuzz a="1">{MARKER}',
    f"'>{MARKER}",
    f"</textarea>{MARKER}",
    f"</script><script>alert(1)</script>{MARKER}",
    f"javascript:alert(1)//{MARKER}",
    f"{{{{ request }}}}{{% now 'Y' %}}{MARKER}",
    f"&lt;{MARKER}&amp;",
    f'=HYPERLINK("x"){MARKER}',
]

short_text = st.text(SENDABLE, max_size=30)
# Long enough to pass every limit of ours (4,000 characters at most) and the browsers' maxlength.
long_text = st.builds(
    lambda chunk, size: (chunk * (size // len(chunk) + 1))[:size],
    st.text(SENDABLE, min_size=1, max_size=8),
    st.sampled_from([101, 201, 255, 256, 1001, 3001, 4001, 20_000]),
)
markup = st.builds(lambda a, m, b: a + m + b, short_text, st.sampled_from(MARKUP), short_text)
controls = st.lists(st.one_of(ASCII_CONTROL, SENDABLE), max_size=12).map("".join)

text_value = st.one_of(short_text, markup, long_text, controls, st.just(""), st.just(" "), st.just(MARKER))

number_value = st.one_of(
    st.integers().map(str),
    st.sampled_from(
        [
            "0",
            "-1",
            "-0",
            str(2**31 - 1),
            str(2**31),
            str(-(2**31) - 1),
            str(2**63),
            str(-(2**63) - 1),
            "9" * 40,
            "1e309",
            "-1e309",
            "1e5",
            "NaN",
            "Infinity",
            "-inf",
            "0x10",
            "1_000",
            "١٢",  # Arabic-Indic digits: int() reads them
            "1.5",
            "12,5",
            " 7 ",
            "0.0000000001",
            "99999999999.999",
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
)

date_value = st.one_of(
    st.sampled_from(
        [
            "0000-00-00",
            "0001-01-01",
            "0001-01-02",
            "9999-12-31",
            "10000-01-01",
            "-0001-01-01",
            "2026-02-30",
            "2026-13-01",
            "2024-02-29",
            "1-1-1",
            "31/12/9999",
            "01/01/0001",
            "12/31/9999",
            "1970-01-01",
            "2038-01-19",
        ]
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
)

time_value = st.one_of(
    st.sampled_from(["24:00", "23:59:60", "99:99", "00:00", "23:59", "0000", "2400", "-1:00", "08.15", "8"]),
    st.times().map(lambda t: t.isoformat()),
)

CONTENT_TYPES = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "text/html",
    "text/csv",
    "application/octet-stream",
    "",
]
# The first bytes of what the uploads accept (PDF, PNG, JPEG) and of what they must not.
MAGIC = [b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"<svg onload=alert(1)>", b"GIF89a", b"PK\x03"]
# A name a browser puts in a multipart header: no quote or line break (they would end it).
file_name = st.text(st.characters(exclude_categories=["Cs"], exclude_characters='"\r\n/\\'), min_size=1, max_size=80)


@st.composite
def upload(draw: Any, body: st.SearchStrategy[bytes] | None = None) -> SimpleUploadedFile:
    """A file of random bytes (behind a real header or not) with a random name and content type."""
    content = draw(body) if body is not None else draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=2000))
    name = draw(st.one_of(file_name, st.sampled_from(["a.pdf", "scan.PNG", "x.html", "data.csv", ".csv", "a" * 300])))
    printable = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
    content_type = draw(st.one_of(st.sampled_from(CONTENT_TYPES), st.text(printable, max_size=40)))
    return SimpleUploadedFile(name, content, content_type=content_type)


def value_for(field: Field) -> st.SearchStrategy[Any]:
    """What may arrive for one field: anything, but mostly what its kind invites."""
    if field.kind == "file":
        return upload()
    if field.kind in ("select", "select-multiple", "radio", "checkbox") and field.options:
        choice = st.sampled_from(field.options)
        if field.kind in ("select-multiple", "checkbox"):
            return st.one_of(st.lists(choice, max_size=4), st.lists(text_value, max_size=2))
        return st.one_of(choice, text_value)
    if field.kind == "number":
        return st.one_of(number_value, text_value)
    if field.kind == "date":
        return st.one_of(date_value, text_value)
    if field.kind == "time" or field.name.endswith("_time"):
        return st.one_of(time_value, text_value)
    if field.kind == "hidden":
        return st.one_of(number_value, text_value, st.sampled_from(field.values or [""]))
    if field.name.endswith(("_on", "_date", "from", "to", "start", "end")):
        return st.one_of(date_value, text_value)
    return text_value


OMIT = object()  # the field left out of the request altogether


@st.composite
def changes(draw: Any, form: Form, *, fields: list[str] | None = None, max_fields: int = 4) -> dict[str, Any]:
    """One to `max_fields` fields of `form` (or of `fields`) with new values, or left out."""
    names = fields if fields is not None else sorted(set(form.fields) - {"csrfmiddlewaretoken"})
    # Drawn one by one from those left, rather than a unique list: Hypothesis would throw away
    # every example that drew a name twice, a third of them on a large form.
    remaining, chosen = list(names), []
    for _ in range(draw(st.integers(1, min(max_fields, len(names))))):
        chosen.append(remaining.pop(draw(st.integers(0, len(remaining) - 1))))
    changed = {}
    for name in chosen:
        field = form.fields[name]
        # One field in ten is left out, as a hand-made request may: most get a value.
        left_out = field.kind != "file" and draw(st.integers(0, 9)) == 0
        changed[name] = OMIT if left_out else draw(value_for(field))
    return changed


CSV_CELLS = [
    "",
    "=1+1",
    "@SUM(A1)",
    '"',
    '""',
    "a\nb",
    ";",
    ",",
    "\x00",
]


@st.composite
def csv_upload(draw: Any, template: bytes, slugs: list[str]) -> SimpleUploadedFile:
    """A CSV file as the import's template is laid out (its header, then rows like its examples),
    some cells replaced by anything: the import reads it past the header, into its row checks."""
    lines = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    header, examples = lines[0], [line for line in lines[1:] if line] or [[""] * len(lines[0])]
    cell = st.one_of(
        text_value, number_value, date_value, time_value, st.sampled_from(CSV_CELLS), st.sampled_from(slugs or [""])
    )
    rows = [header]
    # Few rows, few cells changed: the file is refused whole for one bad row, and a file that is
    # accepted is what reaches the database.
    for _ in range(draw(st.integers(1, 3))):
        # The template's examples say "delete this row" in their last column: a real row says more.
        note = st.one_of(st.just("Baik."), st.sampled_from(CSV_CELLS), text_value)
        row = [draw(note) if c.startswith("Example") else c for c in draw(st.sampled_from(examples))]
        for _change in range(draw(st.integers(0, 2))):
            row[draw(st.integers(0, len(row) - 1))] = draw(cell)
        if draw(st.integers(0, 9)) == 0:  # a row too short or too long
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(cell, max_size=2))
        rows.append(row)
    # Mostly what the import reads (a repeated choice is drawn more often), sometimes not.
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    content = out.getvalue().encode(encoding, errors="replace")
    return SimpleUploadedFile(draw(st.sampled_from(["data.csv", "x.CSV", "data.xlsx"])), content, "text/csv")
