"""Editing the taxonomy: add, rename, describe, nest and merge themes, and edit their patterns
as plain lines of text. Any change alters the taxonomy's version, so a re-tag redoes the work."""

import hashlib
import json
import re
from typing import Any

import sqlalchemy as sa

from insights.audit.services import changed, record, snapshot
from insights.auth.models import User
from insights.core.naming import first_free
from insights.extensions import DbSession
from insights.themes.models import StatementTheme, Theme
from insights.workshops.services import slugify
from nlp import starter_patterns
from nlp.patterns import validate_pattern

Pattern = dict[str, Any]
WEIGHT_SUFFIX = re.compile(r"\s+@\s*([0-9]*\.?[0-9]+)\s*$")
THEME_FIELDS = ("name", "description", "parent_id")
# Deeper than any taxonomy a person would draw; it bounds the walk up a theme's parents.
MAX_DEPTH = 50


class TaxonomyError(ValueError):
    """A taxonomy change that cannot be made, with a message for the person."""


def effective_patterns(theme: Theme) -> list[Pattern]:
    """The patterns the tagger uses for a theme: its own, else the shipped starter ones
    (a theme with neither has patterns derived from its name and description)."""
    return theme.patterns or starter_patterns().get(theme.slug, [])


def patterns_to_lines(patterns: list[Pattern]) -> str:
    """Patterns as editable text: a word or phrase a line ("quoted" = exact wording,
    "@ 0.6" = weight); token rules stay JSON."""
    return "\n".join(pattern_to_line(pattern) for pattern in patterns)


def pattern_to_line(pattern: Pattern) -> str:
    """One pattern as one line of text."""
    weight = float(pattern.get("weight", 1.0))
    suffix = f" @{weight:g}" if weight != 1.0 else ""
    if "lemma" in pattern:
        return f"{pattern['lemma']}{suffix}"
    if "phrase" in pattern:
        return f'"{pattern["phrase"]}"{suffix}'
    return json.dumps(pattern, ensure_ascii=False)


def content_of(pattern: Pattern) -> str:
    """What a pattern matches and how much it weighs, without its id."""
    return json.dumps({k: v for k, v in pattern.items() if k != "id"}, sort_keys=True)


def patterns_from_lines(
    slug: str, text: str, existing: list[Pattern] | None = None
) -> list[Pattern]:
    """Parse the textarea back into patterns (an unchanged line keeps its pattern's id);
    says which line is wrong."""
    known = {content_of(pattern): pattern for pattern in existing or []}
    patterns: dict[str, Pattern] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            pattern = pattern_from_line(slug, line)
        except (ValueError, json.JSONDecodeError) as error:
            raise TaxonomyError(f"Pattern line {number} (“{line[:60]}”): {error}") from error
        pattern = known.get(content_of(pattern), pattern)
        patterns[pattern["id"]] = pattern
    return list(patterns.values())


def pattern_from_line(slug: str, line: str) -> Pattern:
    """One line: a JSON token rule, a "quoted" exact phrase, or words matched in any form."""
    if line.startswith("{"):
        pattern = json.loads(line)
        digest = hashlib.sha256(line.encode("utf-8")).hexdigest()[:8]
        pattern.setdefault("id", f"{slug}/tokens:{digest}")
        return validate_pattern(pattern)
    weight_match = WEIGHT_SUFFIX.search(line)
    weight = float(weight_match.group(1)) if weight_match else 1.0
    words = line[: weight_match.start()] if weight_match else line
    if words.startswith('"') and words.endswith('"') and len(words) > 2:
        phrase = " ".join(words[1:-1].split())
        key = phrase.lower().replace(" ", "_")
        pattern = {"id": f"{slug}/phrase:{key}", "phrase": phrase}
    else:
        lemma = " ".join(words.lower().split())
        pattern = {"id": f"{slug}/lemma:{lemma.replace(' ', '_')}", "lemma": lemma}
    if weight != 1.0:
        pattern["weight"] = weight
    return validate_pattern(pattern)


def unique_theme_slug(session: DbSession, name: str) -> str:
    """A slug from the name, numbered when taken (merged themes keep theirs)."""
    wanted = slugify(name)[:50] or "theme"
    similar = sa.select(Theme.slug).where(Theme.slug.startswith(wanted[:40], autoescape=True))
    return first_free(wanted, set(session.scalars(similar)), limit=60)


def add_theme(
    session: DbSession,
    name: str,
    description: str = "",
    *,
    parent_id: int | None = None,
    patterns_text: str = "",
    by: User | None = None,
) -> Theme:
    """Add a theme at the end of the taxonomy."""
    name = " ".join(name.split())
    if not name:
        raise TaxonomyError("A theme needs a name.")
    slug = unique_theme_slug(session, name)
    position = session.scalar(sa.select(sa.func.max(Theme.position))) or 0
    theme = Theme(slug=slug, name=name, description=description.strip(), position=position + 1)
    theme.patterns = patterns_from_lines(slug, patterns_text)
    session.add(theme)
    session.flush()
    set_parent(session, theme, parent_id)
    after = snapshot(theme, THEME_FIELDS)
    record(session, "theme.add", "theme", theme.id, user_id=by and by.id, after=after)
    return theme


def update_theme(
    session: DbSession,
    theme: Theme,
    *,
    name: str,
    description: str,
    parent_id: int | None,
    patterns_text: str,
    by: User | None = None,
) -> None:
    """Rename, describe, nest and re-pattern a theme; unchanged patterns stay as they are."""
    name = " ".join(name.split())
    if not name:
        raise TaxonomyError("A theme needs a name.")
    before = snapshot(theme, THEME_FIELDS)
    theme.name, theme.description = name, description.strip()
    if normalise(patterns_text) != normalise(patterns_to_lines(effective_patterns(theme))):
        theme.patterns = patterns_from_lines(theme.slug, patterns_text, effective_patterns(theme))
    set_parent(session, theme, parent_id)
    session.flush()
    old, new = changed(before, snapshot(theme, THEME_FIELDS))
    record(session, "theme.edit", "theme", theme.id, user_id=by and by.id, before=old, after=new)


def normalise(text: str) -> list[str]:
    """The non-empty lines of a text, stripped, for comparing pattern edits."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def set_parent(session: DbSession, theme: Theme, parent_id: int | None) -> None:
    """Nest a theme under another (or at the top), refusing loops and merged parents."""
    if parent_id is None:
        theme.parent_id = None
        return
    parent = session.get(Theme, parent_id)
    if parent is None or parent.merged_into_id is not None:
        raise TaxonomyError("Choose a parent theme that is in the taxonomy.")
    ancestor: Theme | None = parent
    for _ in range(MAX_DEPTH):
        if ancestor is None:
            theme.parent_id = parent.id
            return
        if ancestor.id == theme.id:
            raise TaxonomyError("A theme cannot be nested inside itself or its own sub-themes.")
        ancestor = ancestor.parent
    raise TaxonomyError(f"Themes nest at most {MAX_DEPTH} deep.")


def merge_themes(session: DbSession, theme: Theme, into: Theme, by: User | None = None) -> int:
    """Merge a theme into another: its statement tags move across (a person's decision wins
    over a suggestion), its patterns join the target's, its sub-themes move under the target;
    it keeps merged_into_id. Returns how many statements gained the target theme."""
    if theme.id == into.id or into.merged_into_id is not None or theme.merged_into_id:
        raise TaxonomyError("Choose two different themes that are in the taxonomy.")
    moved = move_tags(session, theme, into)
    own = {p["id"] for p in effective_patterns(into)}
    extra = [p for p in effective_patterns(theme) if p["id"] not in own]
    into.patterns = effective_patterns(into) + extra
    for child in session.scalars(sa.select(Theme).where(Theme.parent_id == theme.id)):
        child.parent_id = into.id if child.id != into.id else into.parent_id
    if into.parent_id == theme.id:
        into.parent_id = theme.parent_id
    theme.merged_into_id, theme.parent_id = into.id, None
    session.flush()
    record(
        session,
        "theme.merge",
        "theme",
        theme.id,
        user_id=by and by.id,
        before={"merged_into": None},
        after={"merged_into": into.id, "into_name": into.name},
        statements_moved=moved,
    )
    return moved


def move_tags(session: DbSession, theme: Theme, into: Theme) -> int:
    """Move a theme's tags to another theme; where a statement has both, keep the decided one."""
    target = {
        tag.statement_id: tag
        for tag in session.scalars(
            sa.select(StatementTheme).where(StatementTheme.theme_id == into.id)
        )
    }
    moved = 0
    for tag in session.scalars(
        sa.select(StatementTheme).where(StatementTheme.theme_id == theme.id)
    ):
        other = target.get(tag.statement_id)
        if other is None:
            tag.theme_id, moved = into.id, moved + 1
            continue
        if tag.decision != "suggested" and other.decision == "suggested":
            other.source, other.decision = tag.source, tag.decision
            other.decided_by_id, other.decided_at = tag.decided_by_id, tag.decided_at
        session.delete(tag)
    session.flush()
    return moved
