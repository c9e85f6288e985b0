"""Who sees the regional and national view, and which LAs in it. Aggregates only: no page here
shows a child, and every small number is suppressed.

The rule:
- an analyst (role ANALYST) in a regional or national body (organisation kind REGIONAL) sees
  the LAs of the organisation's region; with no region set, the body is national and sees every
  region and LA in England;
- an LA manager sees the LAs of their own LA's region, with their LA marked, to benchmark it
  against its neighbours, the region and England;
- nobody else: LA officers, QA leads, providers, schools and agencies get 403. Asking for a
  region outside one's reach is 403 too.
England's total is shown to everyone allowed in: it is the benchmark.
"""

from dataclasses import dataclass
from typing import Any

from aptrack.accounts.roles import Role
from aptrack.organisations.models import LocalAuthority, Region


@dataclass(frozen=True)
class RegionalAccess:
    regions: tuple[str, ...]  # the regions the user may open
    national: bool  # may see every region, and all of England at once
    own_la: LocalAuthority | None = None

    def may_open(self, region: str) -> bool:
        return region in self.regions


def regional_access(user: Any) -> RegionalAccess | None:
    """What the user may see of the regional view, or None for no access."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    role = getattr(user, "role", None)
    if role == Role.ANALYST and organisation.kind == "REGIONAL":
        if organisation.region:
            return RegionalAccess(regions=(organisation.region,), national=False)
        return RegionalAccess(regions=tuple(Region.values), national=True)
    if (
        role == Role.LA_MANAGER
        and organisation.kind == "LOCAL_AUTHORITY"
        and organisation.local_authority_id
    ):
        la = organisation.local_authority
        return RegionalAccess(regions=(la.region,), national=False, own_la=la)
    return None
