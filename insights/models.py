"""Every model of the app, imported in one place for Alembic and for the backup."""

from insights.audit.models import AuditEntry
from insights.auth.models import User
from insights.carry.models import CarriedItem
from insights.datasets.models import Dataset, NeedDatasetLink, dataset_themes
from insights.jobs.models import Job
from insights.nextsteps.models import (
    NextStep,
    next_step_datasets,
    next_step_statements,
    next_step_themes,
)
from insights.notices.models import Notice
from insights.organisations.models import Borough, Organisation
from insights.pairwise.models import PairwiseChoice
from insights.participate.models import PlusOne
from insights.pooling.models import PoolRelease
from insights.requests.models import DataRequest, data_request_needs
from insights.roundups.models import Comment, Endorsement, RoundUp
from insights.standards.models import (
    DataStandard,
    StandardEndorsement,
    StandardField,
    StandardVersion,
    standard_field_needs,
)
from insights.statements.models import NeedDetail, Statement, StatementRevision
from insights.submissions.models import ColumnMapping, Submission, SubmissionRow
from insights.themes.models import StatementTheme, Theme
from insights.voting.models import Vote, VoteItem, VoteRound
from insights.workshops.models import Exercise, Participant, Workshop, WorkshopMember

__all__ = [
    "standard_field_needs",
    "SubmissionRow",
    "Submission",
    "StandardVersion",
    "StandardField",
    "StandardEndorsement",
    "PoolRelease",
    "DataStandard",
    "ColumnMapping",
    "AuditEntry",
    "Borough",
    "CarriedItem",
    "Comment",
    "DataRequest",
    "Dataset",
    "Endorsement",
    "Exercise",
    "Job",
    "NeedDatasetLink",
    "NeedDetail",
    "NextStep",
    "Notice",
    "Organisation",
    "PairwiseChoice",
    "Participant",
    "PlusOne",
    "RoundUp",
    "Statement",
    "StatementRevision",
    "StatementTheme",
    "Theme",
    "User",
    "Vote",
    "VoteItem",
    "VoteRound",
    "Workshop",
    "WorkshopMember",
    "data_request_needs",
    "dataset_themes",
    "next_step_datasets",
    "next_step_statements",
    "next_step_themes",
]
