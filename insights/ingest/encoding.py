"""The one rule for reading text: a byte-order mark, else UTF-8, else what charset-normalizer finds.

Both post-its and catalogues use it, so a file is read (or refused) the same way everywhere.
The encoding used is named to the person whenever it was not UTF-8.
"""

import codecs
import re
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from insights.ingest.problems import rejected

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
    "iso8859_1": "Latin-1",
    "iso8859_15": "Latin-9",
    "mac_roman": "Mac Roman",
}
SURROGATES = re.compile("[\ud800-\udfff]")
DETECTION_SAMPLE = 256 * 1024


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in ("utf-8" for most)."""

    text: str
    encoding: str

    @property
    def note(self) -> str:
        """What a person should know about the encoding, or "" for plain UTF-8."""
        if self.encoding.replace("-", "_").lower() in ("utf_8", "ascii"):
            return ""
        name = ENCODING_NAMES.get(self.encoding.replace("-", "_").lower(), self.encoding)
        return f"The file was read as {name} text (it is not UTF-8)."


def decode_text(data: bytes) -> Decoded:
    """The file's text by the one rule; refuses bytes that are no text in any encoding."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], encoding), encoding)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    guess = from_bytes(data[:DETECTION_SAMPLE]).best()
    if guess is None or guess.encoding in ("utf_8", "ascii"):
        raise _not_text(data, first_bad)
    encoding = _western(data, guess.encoding)
    text = _strict(data, encoding, first_bad)
    if "\x00" in text:
        raise _not_text(data, first_bad)
    return Decoded(text, encoding)


def _western(data: bytes, guessed: str) -> str:
    """Windows-1252 for text any Western single-byte encoding could be, as Excel saves it in the UK.

    Detection cannot tell cp1250 from cp1252 in a short file of English with one "é"; the
    people who send these files use Excel set to English, so cp1252 wins the tie.
    """
    if guessed.startswith(("cp125", "iso8859", "latin", "mac_")):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return guessed
        return "cp1252"
    return guessed


def _strict(data: bytes, encoding: str, first_bad: int = 0) -> str:
    """Bytes decoded without replacement; a failure is a refusal naming where."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise _not_text(data, first_bad) from None


def _not_text(data: bytes, position: int) -> Exception:
    """The refusal of bytes that are not text, naming the line of the first bad byte."""
    line = data[:position].count(b"\n") + 1
    return rejected(
        f"The file is not text in UTF-8, UTF-16 or a Windows encoding: line {line:,} holds "
        f"the byte {data[position]:#04x}. Save it as “CSV UTF-8” and try again."
    )


def repair_surrogates(value: Any, repaired: list[int]) -> Any:
    """Strings, lists and objects with lone surrogate escapes (\\ud800) replaced by U+FFFD.

    JSON allows such escapes but no database can store them; each repaired string is counted
    in `repaired` so the report can say so. Pairs that form a real character are kept.
    """
    if isinstance(value, str):
        if not SURROGATES.search(value):
            return value
        repaired.append(1)
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [repair_surrogates(item, repaired) for item in value]
    if isinstance(value, dict):
        return {
            repair_surrogates(k, repaired): repair_surrogates(v, repaired) for k, v in value.items()
        }
    return value
