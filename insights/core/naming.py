"""Unique names and keys, found in a bounded number of tries."""


def first_free(wanted: str, taken: set[str], *, limit: int) -> str:
    """`wanted`, or `wanted-N` for the first N not taken, cut so it fits `limit` characters.

    Of len(taken) + 1 candidates at least one is free, so the loop always ends."""
    if wanted not in taken:
        return wanted
    for number in range(2, len(taken) + 3):
        suffix = f"-{number}"
        candidate = wanted[: limit - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: more candidates than taken keys")
