"""What a gap is, in one place: a need that no confirmed link to a live catalogue dataset serves.

The graph's in-memory analyses (insights.graph.analyses.find_gaps) apply the same rule to the
links the graph snapshot loads, which are those of live datasets only.
"""

from typing import Any

import sqlalchemy as sa

from insights.core.enums import LinkStatus
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import DbSession


def serving_links() -> sa.Select[Any]:
    """Need ids with a confirmed link to a dataset that is still in the catalogue."""
    return (
        sa.select(NeedDatasetLink.statement_id)
        .join(Dataset, NeedDatasetLink.dataset_id == Dataset.id)
        .where(NeedDatasetLink.status == LinkStatus.CONFIRMED, Dataset.deleted_at.is_(None))
    )


def gaps_among(session: DbSession, need_ids: list[int]) -> set[int]:
    """Of these need ids, the gaps."""
    if not need_ids:
        return set()
    served = set(session.scalars(serving_links().where(NeedDatasetLink.statement_id.in_(need_ids))))
    return set(need_ids) - served
