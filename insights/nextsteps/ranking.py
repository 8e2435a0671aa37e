"""The priority score of a next step: plain arithmetic over its factors, every part shown.

Each factor is turned into a share between 0 and 1 that depends on the step alone (not on the
other steps), so adding a vote or a need to one step never moves another step's score, and
every factor moves the score one way only. The score is the weighted mean of those shares,
on a scale of 0–100.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

# Factor -> (label, default weight, what it counts). Order is the order shown everywhere.
FACTORS: dict[str, tuple[str, int, str]] = {
    "votes": ("Votes", 3, "dots in the latest closed vote that included the step"),
    "needs": ("Needs", 1, "needs the step addresses"),
    "unmet_needs": ("Unmet needs", 2, "of those, gaps: needs no confirmed dataset serves"),
    "organisations": ("Organisations", 1, "organisations behind those needs"),
    "boroughs": ("Boroughs", 1, "boroughs behind those needs"),
    "impact": ("Impact", 2, "expected impact, 1–5"),
    "effort": ("Effort", 1, "less effort scores higher: S, M, L"),
    "pairwise": ("Pairwise", 2, "pairwise picks won of those shown: the chance of winning one"),
    "plus_ones": ("+1s", 1, "participants' +1s on the post-its the step addresses or came from"),
}
DEFAULT_WEIGHTS: dict[str, int] = {name: spec[1] for name, spec in FACTORS.items()}
MIN_WEIGHT, MAX_WEIGHT = 0, 10

# A count equal to its "half" gives a share of 0.5; more keeps adding, less and less.
HALF_SHARE = {
    "votes": 4,
    "needs": 2,
    "unmet_needs": 2,
    "organisations": 2,
    "boroughs": 2,
    "plus_ones": 5,
}
EFFORT_SHARE = {"S": 1.0, "M": 0.5, "L": 0.0}
UNKNOWN_EFFORT_SHARE = 0.5  # unknown effort counts as medium
UNKNOWN_IMPACT_SHARE = 0.0  # unknown impact adds nothing, so setting it pays


class WeightError(ValueError):
    """Weights that cannot be used, with a message for the lead."""


@dataclass(frozen=True)
class Factors:
    """What is known about one next step that the score is made of."""

    votes: int = 0
    needs: int = 0
    unmet_needs: int = 0
    organisations: int = 0
    boroughs: int = 0
    impact: int | None = None
    effort: str | None = None
    pairwise_wins: int = 0
    pairwise_comparisons: int = 0
    plus_ones: int = 0

    @property
    def pairwise(self) -> int:
        """Pairwise choices the step won (the comparisons it was in are beside it)."""
        return self.pairwise_wins


@dataclass(frozen=True)
class Part:
    """One factor's contribution: its raw value, its share 0–1, its weight, its points."""

    name: str
    label: str
    value: str
    share: float
    weight: int
    points: float


@dataclass(frozen=True)
class Score:
    """A step's score and the parts it is made of (points add up to the score)."""

    total: float
    parts: list[Part] = field(default_factory=list)


def count_share(count: int, half: int) -> float:
    """A share in [0, 1) that grows with the count: count / (count + half)."""
    count = max(count, 0)
    return count / (count + half)


def win_share(wins: int, comparisons: int) -> float:
    """The estimated chance of winning the next pairwise choice: (wins + 1) / (comparisons + 2).

    As in All Our Ideas, a step never compared stands at an even chance (0.5); each win moves
    it up and each loss down, and the estimate firms up as choices are made. It depends on
    the step's own choices only, like every other factor."""
    comparisons = max(comparisons, 0)
    wins = min(max(wins, 0), comparisons)
    return (wins + 1) / (comparisons + 2)


def factor_shares(factors: Factors) -> dict[str, float]:
    """Each factor as a share between 0 and 1."""
    shares = {name: count_share(getattr(factors, name), half) for name, half in HALF_SHARE.items()}
    impact = factors.impact
    shares["impact"] = UNKNOWN_IMPACT_SHARE if impact is None else (min(max(impact, 1), 5) - 1) / 4
    shares["effort"] = EFFORT_SHARE.get(factors.effort or "", UNKNOWN_EFFORT_SHARE)
    shares["pairwise"] = win_share(factors.pairwise_wins, factors.pairwise_comparisons)
    return shares


def display_value(factors: Factors, name: str) -> str:
    """The raw value of a factor as people read it."""
    if name == "pairwise":
        if not factors.pairwise_comparisons:
            return "none"
        return f"{factors.pairwise_wins} of {factors.pairwise_comparisons}"  # picks won of shown
    value = getattr(factors, name)
    return "not set" if value is None else str(value)


def check_weights(weights: Mapping[str, object]) -> dict[str, int]:
    """Whole numbers 0–10 for every factor, at least one above 0; otherwise WeightError."""
    checked: dict[str, int] = {}
    for name, (label, default, _) in FACTORS.items():
        raw = weights.get(name, default)
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise WeightError(f"The weight for {label} must be a whole number.") from None
        if not MIN_WEIGHT <= number <= MAX_WEIGHT:
            raise WeightError(
                f"The weight for {label} must be between {MIN_WEIGHT} and {MAX_WEIGHT}; "
                f"{number} is outside that range."
            )
        checked[name] = number
    unknown = sorted(set(weights) - set(FACTORS))
    if unknown:
        raise WeightError(f"Unknown factor: {', '.join(unknown)}.")
    if not any(checked.values()):
        raise WeightError("At least one weight must be above 0, or nothing could be ranked.")
    return checked


def score(factors: Factors, weights: Mapping[str, int]) -> Score:
    """The weighted mean of the factor shares, 0–100, with every part shown."""
    total_weight = sum(weights.get(name, 0) for name in FACTORS) or 1
    shares = factor_shares(factors)
    parts = [
        Part(
            name=name,
            label=FACTORS[name][0],
            value=display_value(factors, name),
            share=shares[name],
            weight=weights.get(name, 0),
            points=100 * weights.get(name, 0) * shares[name] / total_weight,
        )
        for name in FACTORS
    ]
    return Score(total=sum(part.points for part in parts), parts=parts)
