"""Words for counts: "1 post-it", "2 post-its"."""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count with its noun, singular for exactly one."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"
