"""Hostile uploads, built in memory: the shapes of issue 14's upload-abuse findings."""

import io
import json
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def wide_xlsx(rows: int = 2000) -> bytes:
    """A small workbook whose every row holds a cell in the last column, XFD (16,384 wide)."""
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a</t></is></c>'
        f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(1, rows + 1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def wide_header_csv(columns: int = 900_000) -> bytes:
    """A CSV whose header line alone holds 900,000 columns (about 7 MB)."""
    return (",".join(f"c{n}" for n in range(columns)) + "\n1,2,3\n").encode()


def commas(size: int = 5 * 1024 * 1024) -> bytes:
    """Five megabytes of nothing but commas."""
    return b"," * size


def empty_objects(count: int = 1_000_000) -> bytes:
    """A bare JSON list of a million empty objects."""
    return b"[" + b",".join([b"{}"] * count) + b"]"


def deep_json(depth: int = 100_000) -> bytes:
    """A JSON document nested far deeper than any catalogue."""
    return b"[" * depth + b"]" * depth


def oddly_typed_catalogue() -> bytes:
    """A data.json whose fields hold the wrong types: numbers, lists and nulls for text."""
    entries = [
        {"title": ["a", "list"], "publisher": 7, "identifier": {"x": 1}, "keyword": "one,two"},
        {"title": 12345, "distribution": "not a list", "landingPage": ["http://x"]},
        {"title": None, "description": {"deep": [[[[]]]]}},
        {"title": "Fine", "identifier": "fine-1", "distribution": [None, 3, {"format": []}]},
    ]
    return json.dumps({"dataset": entries}).encode()
