"""The one report of an import or harvest, the same on a web page and on the command line."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportReport:
    """What an import stored and skipped, with the ids of what it added (for tagging)."""

    noun: str = "post-its"
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    skipped_duplicates: int = 0
    skipped_blank: int = 0
    ids: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    titles: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many records were added."""
        return self.added

    def lines(self) -> list[str]:
        """The report, one fact per line; counts of nothing are left out."""
        facts = [f"{self.added:,} {self.noun} added"]
        if self.updated:
            facts.append(f"{self.updated:,} changed and updated in place")
        if self.unchanged:
            facts.append(f"{self.unchanged:,} already up to date")
        if self.withdrawn:
            facts.append(f"{self.withdrawn:,} withdrawn (no longer at the source)")
        if self.skipped_duplicates:
            facts.append(f"{self.skipped_duplicates:,} already in the workshop, skipped")
        if self.skipped_blank:
            facts.append(f"{self.skipped_blank:,} blank answers skipped")
        return facts + list(self.notes)

    def message(self) -> str:
        """The report as one sentence for a flash message or a terminal."""
        counts = [line for line in self.lines() if line not in self.notes]
        return "; ".join(counts) + "."
