"""What a measure covers: whose attendance (a scope) and when (a period). Plain values."""

import datetime as dt
import enum
from dataclasses import dataclass

from aptrack.attendance import rules
from aptrack.children import schooling


class ScopeKind(enum.StrEnum):
    CHILD = "child"
    PLACEMENT = "placement"
    PROVIDER = "provider"
    PROVIDER_TYPE = "provider_type"
    LA = "la"
    ALL_LAS = "all_las"


@dataclass(frozen=True)
class Scope:
    """Whose attendance a measure covers. `id` is a child, placement, provider organisation or
    local authority id; `registered` picks registered or non-school providers."""

    kind: ScopeKind
    id: int | None = None
    registered: bool | None = None

    @classmethod
    def child(cls, child_id: int) -> "Scope":
        return cls(ScopeKind.CHILD, child_id)

    @classmethod
    def placement(cls, placement_id: int) -> "Scope":
        return cls(ScopeKind.PLACEMENT, placement_id)

    @classmethod
    def provider(cls, organisation_id: int) -> "Scope":
        return cls(ScopeKind.PROVIDER, organisation_id)

    @classmethod
    def provider_type(cls, *, registered: bool) -> "Scope":
        return cls(ScopeKind.PROVIDER_TYPE, registered=registered)

    @classmethod
    def la(cls, la_id: int) -> "Scope":
        return cls(ScopeKind.LA, la_id)

    @classmethod
    def all_las(cls) -> "Scope":
        return cls(ScopeKind.ALL_LAS)


@dataclass(frozen=True)
class Period:
    """Dates a measure covers. Rollups are weekly, so a period counts the whole weeks (Monday
    to Sunday) it touches; terms start and end on week boundaries' school days anyway."""

    start_date: dt.date
    end_date: dt.date
    label: str = ""

    @property
    def first_week(self) -> dt.date:
        return rules.week_of(self.start_date)[0]

    @classmethod
    def week(cls, day: dt.date) -> "Period":
        monday, sunday = rules.week_of(day)
        return cls(monday, sunday, f"Week of {rules.uk_date(monday)}")

    @classmethod
    def academic_year(cls, year: int) -> "Period":
        return cls(dt.date(year, 9, 1), dt.date(year + 1, 8, 31), f"{year}/{str(year + 1)[2:]}")

    @classmethod
    def academic_year_of(cls, day: dt.date) -> "Period":
        return cls.academic_year(schooling.academic_year_start(day))


class Grouping(enum.StrEnum):
    WEEK = "week"
    TERM = "term"
    LA = "la"
    PROVIDER = "provider"
    PROVIDER_TYPE = "provider_type"
    CHILD = "child"
