"""A subject-access export holds everything about the child and only that child, and is audited."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from aptrack.attendance.models import AttendanceMark, MarkBatch
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.audit.trail_export import WITHHELD
from aptrack.children.models import Child
from aptrack.dataprotection.subject_access import (
    NOT_EXPORTED,
    SECTIONS,
    _key,
    export_child,
    paths_to_child,
)
from aptrack.placements.models import Placement, Review
from aptrack.reports.tests.factories import IncidentFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    placement = Placement.objects.get(child=world.child_a)
    batch = MarkBatch.objects.create(
        provider=placement.provider, channel="API", recorded_at=timezone.now()
    )
    AttendanceMark.objects.create(
        placement=placement, session_date=placement.start_date, session="AM", code="/", batch=batch
    )
    Review.objects.create(
        placement=placement,
        held_date=placement.start_date,
        child_views="I like the art room",
        decision="CONTINUE",
        next_review_date=placement.start_date,
        recorded_by=world.officer_a,
        recorded_at=timezone.now(),
    )
    other = Placement.objects.get(child=world.child_b)
    AttendanceMark.objects.create(
        placement=other, session_date=other.start_date, session="AM", code="N", batch=batch
    )
    return placement


def test_the_json_export_holds_the_record_placements_marks_reviews_and_who_viewed_it(
    client, world, history
):
    client.force_login(world.officer_a)
    client.get(reverse("children:detail", args=[world.child_a.pk]))
    client.force_login(world.manager_a)

    response = client.get(reverse("dataprotection:subject_access_json", args=[world.child_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["child"]["upn"] == world.child_a.upn
    assert [row["id"] for row in data["placements"]] == [history.pk]
    assert [(row["session"], row["code"]) for row in data["attendance_marks"]] == [("AM", "/")]
    assert [row["child_views"] for row in data["reviews"]] == ["I like the art room"]
    viewers = [(row["actor_label"].split(" ")[0], row["action"]) for row in data["audit_trail"]]
    assert ("officer_a", "VIEWED") in viewers
    assert world.child_b.upn not in response.content.decode()
    exported = AuditEvent.objects.get(action=AuditAction.EXPORTED, child_id=world.child_a.pk)
    assert (exported.actor, exported.changes) == (
        world.manager_a,
        {"subject_access_export": "json"},
    )


def test_the_pdf_export_is_a_pdf_and_is_audited(client, world, history):
    client.force_login(world.manager_a)
    response = client.get(reverse("dataprotection:subject_access_pdf", args=[world.child_a.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORTED, changes={"subject_access_export": "pdf"}
        ).count()
        == 1
    )


def test_only_the_la_manager_for_the_child_may_export_it(client, world):
    client.force_login(world.officer_a)
    assert (
        client.get(
            reverse("dataprotection:subject_access_json", args=[world.child_a.pk])
        ).status_code
        == 403
    )
    client.force_login(world.manager_a)
    assert (
        client.get(
            reverse("dataprotection:subject_access_pdf", args=[world.child_b.pk])
        ).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_the_command_writes_the_export_and_records_it(world, history, tmp_path):
    path = tmp_path / "child.json"
    call_command("subject-access", str(world.child_a.pk), "--format", "json", "--output", str(path))
    assert json.loads(path.read_text())["child"]["id"] == world.child_a.pk
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.channel, event.actor_label, event.child_id) == (
        "COMMAND",
        "system",
        world.child_a.pk,
    )
    with pytest.raises(CommandError, match="No child with id 0"):
        call_command("subject-access", "0", "--output", str(path))


def test_an_anonymised_child_s_export_withholds_the_values_retention_removed(world, history):
    audit.record_event(
        actor=world.officer_a,
        at=timezone.now(),
        action=AuditAction.UPDATED,
        channel=Channel.WEB,
        instance=world.child_a,
        child_id=world.child_a.pk,
        where="/children/",
        changes={"legal_last_name": {"old": "Little", "new": "Smith"}},
    )
    Child.objects.filter(pk=world.child_a.pk).update(anonymised_on=timezone.localdate())
    child = Child.objects.get(pk=world.child_a.pk)
    data = json.loads(
        export_child(
            child=child,
            fmt="json",
            actor=None,
            at=timezone.now(),
            channel=Channel.COMMAND,
            where="test",
        )
    )
    assert [row["changes"] for row in data["audit_trail"] if row["action"] == "UPDATED"] == [
        WITHHELD
    ]


def _reaching_child() -> dict[type[models.Model], list[models.Field]]:
    """Every model with a chain of foreign keys to a child, with its keys that start one."""
    reaching: dict[type[models.Model], list[models.Field]] = {Child: []}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            keys = [
                f
                for f in model._meta.concrete_fields
                if f.many_to_one or f.one_to_one
                if f.related_model in reaching and f.related_model is not model
            ]
            if keys and len(keys) != len(reaching.get(model, [])) and model is not Child:
                reaching[model] = keys
                grew = True
    return reaching


def _left_out(model: type[models.Model], paths: list[str], reaching: dict) -> list[str]:
    """The keys through which some of `model`'s rows reach a child that `paths` do not follow.
    A path of keys that are never empty finds every row on its own."""
    if model is Child:
        return [] if "" in paths else ["(a path stops short of the child)"]
    by_key: dict[str, list[str]] = {}
    for path in paths:
        key, _, rest = path.partition("__")
        by_key.setdefault(key, []).append(rest)
    keys = reaching[model]
    if any(
        not k.null and k.name in by_key and not _left_out(k.related_model, by_key[k.name], reaching)
        for k in keys
    ):
        return []
    left = []
    for k in keys:
        if k.name in by_key:
            left += _left_out(k.related_model, by_key[k.name], reaching)
        else:
            left.append(f"{model._meta.label}.{k.name}")
    return left


def test_every_model_holding_data_about_a_child_is_exported_or_left_out_with_a_reason():
    """A new app's data about a child cannot be missed: each model with a key leading to a
    child is in SECTIONS (by every key that can lead there) or in NOT_EXPORTED."""
    reaching = _reaching_child()
    sections = {label: paths_to_child(paths) for _, label, paths in SECTIONS}
    missing, left_out = [], []
    for model in reaching:
        label = model._meta.label
        if label in NOT_EXPORTED:
            continue
        if label not in sections:
            missing.append(label)
            continue
        left_out += _left_out(model, list(sections[label]), reaching)
    assert missing == [], f"Add to SECTIONS or NOT_EXPORTED: {missing}"
    assert left_out == [], f"Rows found only through these keys are left out: {left_out}"
    assert not set(sections) & set(NOT_EXPORTED)
    assert set(sections) | set(NOT_EXPORTED) == {m._meta.label for m in reaching}


def test_the_export_holds_reports_incidents_and_transfer_histories_of_the_child_only(world):
    placement = Placement.objects.get(child=world.child_a)
    other = Placement.objects.get(child=world.child_b)
    ReportFactory(placement=placement, submitted_by=world.provider_x)
    ReportFactory(placement=other, submitted_by=world.provider_z, child_words="Not child A")
    IncidentFactory(placement=placement, recorded_by=world.provider_x)
    world.child_a.sen_history.create(start_date="2020-09-01", provision="K", needs="SEMH")
    world.child_b.sen_history.create(start_date="2021-09-01", provision="E")

    data = json.loads(
        export_child(
            child=world.child_a,
            fmt="json",
            actor=world.manager_a,
            at=timezone.now(),
            channel=Channel.WEB,
            where="test",
        )
    )

    assert [r["child_words"] for r in data["provider_reports"]] == [
        "I like coming here because nobody shouts"
    ]
    assert [r["what_happened"] for r in data["incidents_and_safeguarding_concerns"]] == [
        "Threw a chair in the art room"
    ]
    assert [r["needs"] for r in data["sen_history_from_transfer_files"]] == ["SEMH"]
    # Every section is in the export, found or empty.
    assert all(_key(title) in data for title, _, _ in SECTIONS)
