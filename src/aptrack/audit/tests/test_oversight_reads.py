"""The oversight drill-down names the children behind a figure: each one is a read."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.oversight.tests import dashboard_data

dataset = dashboard_data.dataset
pytestmark = pytest.mark.django_db


def test_the_drill_down_records_each_child_it_lists(client, world, dataset):
    client.force_login(world.manager_a)
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(
            reverse("oversight:children"),
            {"period": "this-term", "measure": "by_tier", "value": "3"},
        )
    assert response.status_code == 200
    views = AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=world.manager_a)
    assert list(views.values_list("child_id", "where")) == [
        (dataset.c2.pk, reverse("oversight:children"))
    ]
