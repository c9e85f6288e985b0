"""The registration test is dated: today's (5+ full-time pupils of compulsory school age, or 1
looked after or with an EHCP) until section 43 of the Children's Wellbeing and Schools Act 2026
commences, then 1 pupil with any special educational needs is enough."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from aptrack.returns import threshold
from aptrack.returns.threshold import Pupil, breaches, registration_rule

COMMENCED = dt.date(2027, 9, 1)
DAY_BEFORE = dt.date(2027, 8, 31)


def _pupil(**extra) -> Pupil:
    values = {
        "child_id": None,
        "hours_per_week": Decimal(25),
        "compulsory_school_age": True,
        "looked_after": False,
        "has_ehcp": False,
        "has_sen": False,
    }
    return Pupil(**{**values, **extra})


SEN_SUPPORT = _pupil(has_sen=True)


@override_settings(APTRACK_CWSA_S92_COMMENCEMENT="")
def test_before_any_commencement_one_pupil_on_sen_support_is_not_enough():
    assert registration_rule(COMMENCED) is threshold.TODAYS_RULE
    assert not breaches([SEN_SUPPORT], COMMENCED)
    assert breaches([_pupil(has_ehcp=True, has_sen=True)], COMMENCED)
    assert breaches([_pupil(looked_after=True)], COMMENCED)


@override_settings(APTRACK_CWSA_S92_COMMENCEMENT="2027-09-01")
def test_one_pupil_with_special_educational_needs_is_enough_from_the_commencement_day():
    assert not breaches([SEN_SUPPORT], DAY_BEFORE)
    assert breaches([SEN_SUPPORT], COMMENCED)
    assert registration_rule(COMMENCED).law.startswith(
        "Education and Skills Act 2008 s92 as substituted"
    )


@override_settings(APTRACK_CWSA_S92_COMMENCEMENT="2027-09-01")
@pytest.mark.parametrize(("count", "expected"), [(4, False), (5, True)])
def test_five_pupils_without_needs_under_both_tests(count, expected):
    pupils = [_pupil() for _ in range(count)]
    assert breaches(pupils, DAY_BEFORE) is expected
    assert breaches(pupils, COMMENCED) is expected


@override_settings(APTRACK_CWSA_S92_COMMENCEMENT="1 September 2027")
def test_a_commencement_date_that_is_not_a_date_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="YYYY-MM-DD"):
        registration_rule(COMMENCED)
