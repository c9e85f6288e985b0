"""The DPO's download of a child's audit trail shows every read: who, when, where, which search."""

import csv
import io

import pytest
from django.urls import reverse

from aptrack.audit.trail_export import HEADERS

pytestmark = pytest.mark.django_db


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_trail_download_lists_each_read_with_the_search_that_found_the_child(client, world):
    client.force_login(world.officer_a)
    client.get(reverse("children:list"), {"q": world.child_a.upn})
    client.get(reverse("children:detail", args=[world.child_a.pk]))
    client.force_login(world.manager_a)
    response = client.get(reverse("children:audit_trail", args=[world.child_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _rows(response)
    assert header == HEADERS
    reads = [(row[1].split(" ")[0], row[2], row[4], row[5]) for row in rows]
    assert reads[:2] == [
        ("officer_a", "Viewed", reverse("children:list"), world.child_a.upn),
        ("officer_a", "Viewed", reverse("children:detail", args=[world.child_a.pk]), ""),
    ]
    # The download is itself a read of the child, by the manager.
    assert reads[-1][:3] == (
        "manager_a",
        "Viewed",
        reverse("children:audit_trail", args=[world.child_a.pk]),
    )


def test_only_those_who_may_see_the_trail_can_download_it(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("children:audit_trail", args=[world.child_a.pk])).status_code == 403
    client.force_login(world.manager_a)
    assert client.get(reverse("children:audit_trail", args=[world.child_b.pk])).status_code == 404
