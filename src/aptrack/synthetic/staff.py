"""Synthetic staff: the people who recorded an LA's plans, reviews, QA visits and returns.

Each generated LA gets two AP officers, a manager (who approves open-ended placements) and a QA
officer in its council, and each of its non-school providers one member of staff who makes the
provider's returns. They are colleagues of the demo users, not logins: their passwords are
unusable. Invented names only.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.organisations.models import LocalAuthority, Organisation
from aptrack.synthetic import records

OFFICERS_PER_LA = 2
PROVIDER_JOB_TITLES = ("Centre manager", "Education lead", "Director", "Programme manager")


@dataclass
class LaStaff:
    officers: list[User]
    manager: User
    qa_officer: User
    provider_staff: dict[int, User]  # by provider organisation primary key

    def officer(self, draw: records.Draw) -> User:
        return draw.rng.choice(self.officers)


def _username(first: str, last: str, la_code: str, used: set[str]) -> str:
    stem = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
    name, number = f"{stem}.{la_code}", 1
    while name in used:
        number += 1
        name = f"{stem}{number}.{la_code}"
    used.add(name)
    return name


def create_staff(
    draw: records.Draw,
    la: LocalAuthority,
    council: Organisation,
    provider_organisations: list[Organisation],
) -> LaStaff:
    """Save and return the LA's staff and one member of staff per provider in
    `provider_organisations` (the LA's non-school providers)."""
    used: set[str] = set(
        User.objects.filter(username__endswith=f".{la.code}").values_list("username", flat=True)
    )

    def person(organisation: Organisation, role: Role, job_title: str) -> User:
        first, last = draw.fake.first_name(), draw.fake.last_name()
        username = _username(first, last, la.code, used)
        joined = draw.today - dt.timedelta(days=draw.rng.randint(400, 2000))
        return User(
            username=username,
            password=f"{UNUSABLE_PASSWORD_PREFIX}synthetic",
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            organisation=organisation,
            role=role,
            job_title=job_title,
            date_joined=dt.datetime.combine(joined, dt.time(9, 0), tzinfo=draw.tz),
        )

    officers = [person(council, Role.LA_OFFICER, "AP officer") for _ in range(OFFICERS_PER_LA)]
    manager = person(council, Role.LA_MANAGER, "AP and inclusion manager")
    qa_officer = person(council, Role.QA_LEAD, "AP quality assurance officer")
    provider_staff = {
        organisation.pk: person(
            organisation, Role.PROVIDER_STAFF, draw.rng.choice(PROVIDER_JOB_TITLES)
        )
        for organisation in provider_organisations
    }
    User.objects.bulk_create([*officers, manager, qa_officer, *provider_staff.values()])
    return LaStaff(officers, manager, qa_officer, provider_staff)
