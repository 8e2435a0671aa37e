"""A whiteboard's JSON export as a table of post-its: a Trello board, one row per card.

Trello's "Print, export and share → Export as JSON" writes the whole board: its lists, cards,
labels, members, checklists and its latest actions (card creation, comments). A card becomes
a row under Trello's own words (card name, list, labels, votes, description…), so the shape
in reference/postit_export_shapes.json maps it like any other export and the preview shows
every column. Archived cards, and cards in archived lists, are left out and counted.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

import pandas as pd

from insights.ingest.documents import parse_json
from insights.ingest.encoding import decode_text
from insights.ingest.limits import Limits, check_size
from insights.ingest.problems import rejected
from insights.ingest.reading import Table, read_table

TRELLO_COLUMNS = (
    "Card name",
    "List",
    "Labels",
    "Label colour",
    "Votes",
    "Description",
    "Comments",
    "Checklist items",
    "Created by",
    "Created",
    "Members",
    "Due",
    "Attachments",
    "Card URL",
)
NOT_READ = (
    "Not read from the board: card positions, stickers, cover images, custom fields and "
    "activity other than card creation and comments."
)
# The actions that bring a card onto a board, naming who did it.
CREATING_ACTIONS = ("createCard", "copyCard", "convertToCardFromCheckItem", "moveCardToBoard")


def read_postit_file(
    data: bytes,
    filename: str = "",
    limits: Limits | None = None,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
) -> Table:
    """A post-it file as a table: CSV or XLSX as read, a Trello board's JSON one row per card."""
    if looks_like_json(data, filename):
        if sheet or header_row:
            raise rejected(
                "A Trello board's JSON has no sheets or header rows: leave out the sheet and "
                "header row (--sheet, --header-row)."
            )
        return read_board_json(data, limits or Limits())
    return read_table(data, filename, limits, sheet=sheet, header_row=header_row)


def looks_like_json(data: bytes, filename: str) -> bool:
    """Whether a file is JSON: named .json, or opening with a brace."""
    if PurePath(filename).suffix.lower() == ".json":
        return True
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_board_json(data: bytes, limits: Limits) -> Table:
    """A Trello board export's open cards as a table; any other JSON is refused by name."""
    check_size(data, limits)
    board, _ = parse_json(decode_text(data).text.lstrip("\ufeff"), limits)
    if not is_trello_board(board):
        raise rejected(
            "This JSON file is not a Trello board export (it has no cards and lists). Post-its "
            "come as a CSV or XLSX file, or as a Trello board's JSON (board menu → Print, export "
            "and share → Export as JSON)."
        )
    cards = [card for card in board["cards"] if isinstance(card, dict)]
    if len(cards) > limits.max_rows:
        raise rejected(
            f"The board has more than {limits.max_rows:,} cards; export fewer and import each part."
        )
    lists = {item.get("id"): item for item in board["lists"] if isinstance(item, dict)}
    open_cards = [card for card in cards if not _archived(card, lists)]
    facts = _CardFacts(board)
    frame = pd.DataFrame(
        [_card_row(card, lists, facts) for card in open_cards],
        columns=list(TRELLO_COLUMNS),
        dtype=str,
    )
    notes = [
        f"Read the Trello board {str(board.get('name') or '')!r}: one post-it per card.",
        NOT_READ,
    ]
    left_out = len(cards) - len(open_cards)
    if left_out:
        notes.append(f"{left_out} archived card(s) were left out.")
    return Table(frame, "trello", header_row=1, notes=tuple(notes))


def is_trello_board(value: Any) -> bool:
    """Whether parsed JSON is a Trello board export: an object with lists of cards and lists."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("cards"), list)
        and isinstance(value.get("lists"), list)
    )


def _archived(card: Mapping[str, Any], lists: Mapping[Any, Mapping[str, Any]]) -> bool:
    """Whether a card, or the list it sits in, is archived ("closed" in Trello's words)."""
    return bool(card.get("closed")) or bool(lists.get(card.get("idList"), {}).get("closed"))


class _CardFacts:
    """What the rest of the board says of each card: its creator, comments and checklists."""

    def __init__(self, board: Mapping[str, Any]) -> None:
        self.created: dict[str, tuple[str, str]] = {}
        self.comments: dict[str, list[str]] = defaultdict(list)
        self.checklist_items: dict[str, list[str]] = defaultdict(list)
        self.members = {
            member.get("id"): str(member.get("fullName") or member.get("username") or "")
            for member in board.get("members") or []
            if isinstance(member, dict)
        }
        for action in board.get("actions") or []:
            if isinstance(action, dict):
                self._read(action)
        for checklist in board.get("checklists") or []:
            if isinstance(checklist, dict):
                items = [i for i in checklist.get("checkItems") or [] if isinstance(i, dict)]
                self.checklist_items[str(checklist.get("idCard") or "")] += [
                    f"[{'x' if i.get('state') == 'complete' else ' '}] {i.get('name') or ''}"
                    for i in items
                ]

    def _read(self, action: Mapping[str, Any]) -> None:
        """Note one action, if it creates or comments on a card."""
        data = action.get("data") or {}
        card_id = str((data.get("card") or {}).get("id") or "")
        if not card_id:
            return
        who = str((action.get("memberCreator") or {}).get("fullName") or "")
        if action.get("type") in CREATING_ACTIONS:
            self.created[card_id] = (who, str(action.get("date") or ""))
        elif action.get("type") == "commentCard" and data.get("text"):
            self.comments[card_id].append(f"{who}: {data['text']}" if who else str(data["text"]))


def _card_row(
    card: Mapping[str, Any], lists: Mapping[Any, Mapping[str, Any]], facts: _CardFacts
) -> list[str]:
    """One card's cells, in the order of TRELLO_COLUMNS."""
    card_id = str(card.get("id") or "")
    labels = [label for label in card.get("labels") or [] if isinstance(label, dict)]
    author, created = facts.created.get(card_id, ("", ""))
    return [
        str(card.get("name") or ""),
        str(lists.get(card.get("idList"), {}).get("name") or ""),
        "; ".join(str(label.get("name") or label.get("color") or "") for label in labels),
        str(next((label.get("color") for label in labels if label.get("color")), "") or ""),
        str(len(card.get("idMembersVoted") or [])),
        str(card.get("desc") or ""),
        "\n".join(reversed(facts.comments.get(card_id, []))),  # Trello lists newest first
        "\n".join(facts.checklist_items.get(card_id, [])),
        author,
        created or _created_from_id(card_id),
        ", ".join(
            facts.members.get(m, "") for m in card.get("idMembers") or [] if m in facts.members
        ),
        str(card.get("due") or ""),
        "\n".join(_attachment(a) for a in card.get("attachments") or [] if isinstance(a, dict)),
        str(card.get("shortUrl") or card.get("url") or ""),
    ]


def _attachment(attachment: Mapping[str, Any]) -> str:
    """An attachment as its name and address."""
    name, url = str(attachment.get("name") or ""), str(attachment.get("url") or "")
    return f"{name} <{url}>" if name and url and name != url else name or url


def _created_from_id(card_id: str) -> str:
    """When a card was made, from its id: Trello ids open with the creation time in seconds."""
    try:
        seconds = int(card_id[:8], 16)
    except ValueError:
        return ""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
