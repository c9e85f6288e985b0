import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aptrack.core import alerting
from aptrack.notifications import services, transport
from aptrack.notifications.models import Channel, Notification, Preference, Status
from aptrack.notifications.tests.conftest import make_alert

pytestmark = pytest.mark.django_db


def _secrets(world):
    child = world.child_a
    return [child.legal_first_name, child.legal_last_name, child.upn, child.known_as]


def test_a_whereabouts_alert_emails_the_las_officers_at_once_naming_no_child(
    emails, django_capture_on_commit_callbacks
):
    world = emails
    alert = make_alert(world)
    with django_capture_on_commit_callbacks(execute=True):
        alerting.announce_alert(alert, at=timezone.now())
    sent = Notification.objects.filter(status=Status.SENT)
    assert {n.recipient.username for n in sent} == {"officer_a", "manager_a"}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "manager_a@example.org",
        "officer_a@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "Alert: Whereabouts unknown"
    assert reverse("alerts:detail", args=[alert.pk]) in message.body
    for secret in _secrets(world):
        assert secret not in message.body
    assert all(n.attempts == 1 and n.sent_at is not None for n in sent)


def test_a_routine_alert_waits_for_the_daily_digest_by_default(
    emails, django_capture_on_commit_callbacks
):
    world = emails
    alert = make_alert(world, kind="PERSISTENT_ABSENCE")
    with django_capture_on_commit_callbacks(execute=True):
        alerting.announce_alert(alert, at=timezone.now())
    assert mail.outbox == []
    assert Notification.objects.filter(status=Status.HELD).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run-notifications", "--digest")
    digests = [
        m
        for m in mail.outbox
        if m.subject.startswith("Your aptrack summary") and "Alert: Persistent absence" in m.body
    ]
    assert sorted(m.to[0] for m in digests) == ["manager_a@example.org", "officer_a@example.org"]
    assert Notification.objects.filter(status=Status.HELD).count() == 0
    assert Notification.objects.filter(status=Status.DIGESTED).count() == 2


def test_a_user_who_chose_the_digest_for_urgent_alerts_gets_them_daily(
    emails, django_capture_on_commit_callbacks
):
    world = emails
    Preference.objects.create(user=world.officer_a, urgent="DIGEST")
    with django_capture_on_commit_callbacks(execute=True):
        alerting.announce_alert(make_alert(world), at=timezone.now())
    assert [m.to[0] for m in mail.outbox] == ["manager_a@example.org"]
    assert Notification.objects.get(recipient=world.officer_a).status == Status.HELD


def test_a_failed_send_is_retried_with_backoff_then_given_up(emails, monkeypatch, settings):
    world = emails
    settings.APTRACK_NOTIFICATION_MAX_ATTEMPTS = 3

    def refuse(**kwargs):
        raise transport.SendFailed("SMTP server unreachable")

    monkeypatch.setattr(transport, "send_email", refuse)
    start = timezone.now()
    services.notify_alert(alert=make_alert(world), escalated=False, at=start)
    notification = Notification.objects.filter(recipient=world.officer_a).get()
    services.send_due(at=start)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.RETRYING, 1)
    assert notification.next_attempt_at == start + dt.timedelta(minutes=1)
    assert notification.error == "SMTP server unreachable"
    assert services.send_due(at=start + dt.timedelta(seconds=30)) == 0  # not yet
    services.send_due(at=start + dt.timedelta(minutes=1))
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.next_attempt_at == start + dt.timedelta(minutes=6)
    services.send_due(at=start + dt.timedelta(minutes=6))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 3)


def test_escalation_texts_the_social_worker_through_notify_without_the_childs_name(
    emails, fake_notify, django_capture_on_commit_callbacks
):
    world = emails
    Preference.objects.create(user=world.social_worker, sms=True, mobile_number="07700 900 982")
    alert = make_alert(
        world, escalated_at=timezone.now(), escalated_to_social_worker=world.social_worker
    )
    with django_capture_on_commit_callbacks(execute=True):
        alerting.announce_alert(alert, at=timezone.now(), escalated=True)
    paths = sorted(path for path, _, _ in fake_notify.requests)
    assert paths == ["/v2/notifications/email", "/v2/notifications/sms"]
    by_path = {path: (headers, body) for path, headers, body in fake_notify.requests}
    headers, sms = by_path["/v2/notifications/sms"]
    assert headers["Authorization"].startswith("Bearer ")
    assert sms["phone_number"] == "07700 900 982"
    assert sms["template_id"] == "9d751e0e-f929-4891-82a1-a5e6d4f3e7a9"
    text = str(sms["personalisation"])
    for secret in _secrets(world):
        assert secret not in text
    _, email = by_path["/v2/notifications/email"]
    assert email["email_address"] == "social_worker@example.org"
    assert email["personalisation"]["subject"] == "Escalated alert: Whereabouts unknown"
    sent = Notification.objects.filter(recipient=world.social_worker)
    assert {n.channel for n in sent} == {Channel.EMAIL, Channel.SMS}
    assert all(n.status == Status.SENT and n.reference for n in sent)
    assert mail.outbox == []  # Notify, not the mail backend


def test_notify_refusing_a_message_is_recorded_and_retried(emails, fake_notify):
    world = emails
    fake_notify.fail_with = 400
    at = timezone.now()
    services.notify_alert(alert=make_alert(world), escalated=False, at=at)
    services.send_due(at=at)
    notification = Notification.objects.filter(recipient=world.officer_a).get()
    assert notification.status == Status.RETRYING
    assert "Can't send" in notification.error


def test_text_messages_need_notify(emails):
    world = emails
    Preference.objects.create(user=world.officer_a, sms=True, mobile_number="07700900982")
    at = timezone.now()
    services.notify_alert(alert=make_alert(world), escalated=False, at=at)
    services.send_due(at=at)
    sms = Notification.objects.get(recipient=world.officer_a, channel=Channel.SMS)
    assert sms.status == Status.RETRYING
    assert sms.error == transport.NO_SMS_WITHOUT_NOTIFY


def test_the_preferences_page_saves_choices_and_needs_a_mobile_for_texts(world, client):
    client.force_login(world.officer_a)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"urgent": "IMMEDIATE", "routine": "IMMEDIATE", "sms": "on"})
    assert "Enter a mobile number to receive text messages" in response.content.decode()
    response = client.post(
        url,
        {"urgent": "DIGEST", "routine": "IMMEDIATE", "sms": "on", "mobile_number": "07700900982"},
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=world.officer_a)
    assert (preference.urgent, preference.routine, preference.sms) == ("DIGEST", "IMMEDIATE", True)


def test_the_digest_counts_deadlines_through_the_rules_owners(emails, monkeypatch):
    from aptrack.notifications import digest

    world = emails
    monkeypatch.setattr(
        digest.placement_selectors, "list_reviews_overdue", lambda *, la_id, on: [1, 2]
    )
    lines = digest.deadline_lines(on=dt.date(2026, 12, 1))
    assert any("2 placement reviews overdue" in line for line in lines[world.officer_a.pk])
    assert world.officer_b.pk in lines
    assert world.qa_lead_a.pk not in lines or not any(
        "review" in line for line in lines[world.qa_lead_a.pk]
    )


LONDON = ZoneInfo("Europe/London")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_digest_keeps_itself_scheduled_each_morning_in_the_worker(world, settings):
    import io

    import time_machine
    from django_tasks_db.models import DBTaskResult

    from aptrack.notifications import tasks

    settings.TASKS = DATABASE_TASKS
    evening = dt.datetime(2026, 11, 23, 18, 0, tzinfo=LONDON)
    with time_machine.travel(evening, tick=False):
        out = io.StringIO()
        call_command("run-notifications", "--digest", "--schedule", stdout=out)
        assert "scheduled from 2026-11-24 07:00" in out.getvalue()
        call_command("run-notifications", "--digest", "--schedule", stdout=io.StringIO())
    waiting = DBTaskResult.objects.get()
    assert waiting.run_after == dt.datetime(2026, 11, 24, 7, 0, tzinfo=LONDON)
    with time_machine.travel(waiting.run_after + dt.timedelta(seconds=2), tick=False):
        DBTaskResult.objects.filter(pk=waiting.pk).update(status="SUCCESSFUL")
        result = tasks.run_digest.call(**waiting.args_kwargs["kwargs"])
    assert result["next_run"] == dt.datetime(2026, 11, 25, 7, 0, tzinfo=LONDON).isoformat()


def test_a_safeguarding_concern_reaches_the_la_and_the_social_worker_the_same_day(
    emails, django_capture_on_commit_callbacks
):
    """A concern about a looked-after child goes out at once to the LA's officers and, escalated,
    to the child's social worker, naming no child (issue 18: the same day)."""
    from aptrack.alerts import services as alert_services
    from aptrack.audit.models import Channel as AuditChannel
    from aptrack.placements.models import Placement

    world = emails
    child = world.child_a
    child.looked_after = True
    child.responsible_la = child.home_la
    child.social_worker = world.social_worker
    child.save()
    placement = Placement.objects.get(child=child)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.raise_safeguarding_concern(
            placement=placement,
            reason="Concern recorded by the provider",
            at=timezone.now(),
            actor=world.provider_x,
            channel=AuditChannel.WEB,
            where="/test",
        )
    sent = Notification.objects.filter(status=Status.SENT)
    assert {"officer_a", "social_worker"} <= {n.recipient.username for n in sent}
    assert any("Safeguarding" in m.subject for m in mail.outbox)
    for message in mail.outbox:
        for secret in _secrets(world):
            assert secret not in message.body


def _queried_invoice(world, django_capture_on_commit_callbacks, *, lines=2):
    from aptrack.commissioning import services as invoices
    from aptrack.commissioning.invoice_file import read_rows
    from aptrack.commissioning.models import InvoiceLine
    from aptrack.commissioning.tests.factories import row

    child = world.child_a
    report = invoices.record_invoices(
        provider=world.provider_x.organisation,
        lines=read_rows(
            [
                row(upn=child.upn),
                row(upn=child.upn, service_from="2026-09-14", service_to="2026-09-18"),
            ]
        ),
        channel="COMMAND",
        by=world.provider_x,
        at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoices.decide_lines(
            lines=list(InvoiceLine.objects.filter(invoice_id__in=report.invoice_ids))[:lines],
            decision="QUERY",
            reason=f"Which school day was {child.legal_first_name} absent?",
            by=world.finance_a,
            at=timezone.now(),
        )
    return report.invoice_ids[0]


def test_an_invoice_queried_is_announced_to_the_providers_staff_naming_no_child(
    emails, django_capture_on_commit_callbacks
):
    from aptrack.accounts.roles import Role
    from aptrack.accounts.tests.factories import UserFactory

    world = emails
    for persona in ("provider_x", "provider_z", "finance_a"):
        user = getattr(world, persona)
        user.email = f"{persona}@example.org"
        user.save()
    colleague = UserFactory(
        organisation=world.provider_x.organisation,
        role=Role.PROVIDER_STAFF,
        email="colleague@example.org",
    )
    Preference.objects.create(user=colleague, routine="IMMEDIATE")
    invoice_id = _queried_invoice(world, django_capture_on_commit_callbacks)
    made = Notification.objects.filter(template="invoice_queried")
    # One message an invoice, to its provider's staff only: held for the digest by default, or
    # at once for one who chose so.
    assert {(n.recipient.username, n.status) for n in made} == {
        ("provider_x", Status.HELD),
        (colleague.username, Status.SENT),
    }
    [message] = mail.outbox
    assert message.to == ["colleague@example.org"]
    assert message.subject == "Invoice INV-1 queried"
    assert "queried 2 lines of your invoice INV-1" in message.body
    assert reverse("commissioning:invoice", args=[invoice_id]) in message.body
    for secret in [*_secrets(world), "absent"]:
        assert secret not in message.body


def test_approving_or_rejecting_lines_announces_nothing(emails, django_capture_on_commit_callbacks):
    from aptrack.commissioning import services as invoices
    from aptrack.commissioning.models import InvoiceLine

    world = emails
    world.provider_x.email = "provider_x@example.org"
    world.provider_x.save()
    _queried_invoice(world, django_capture_on_commit_callbacks, lines=0)
    with django_capture_on_commit_callbacks(execute=True):
        invoices.decide_lines(
            lines=list(InvoiceLine.objects.all()),
            decision="REJECT",
            reason="Wrong week",
            by=world.finance_a,
            at=timezone.now(),
        )
    assert not Notification.objects.exists()
