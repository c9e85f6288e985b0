"""No lost update: two people saving the same record at the same moment, from the same
version, 20 times over. On PostgreSQL the two saves run in two threads with their own
connections (the row lock makes one wait, then the version refuses it); SQLite allows one
writer at a time, so there the two saves from one version are interleaved."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.improvement import services as improvement
from aptrack.improvement.tests.factories import ActionFactory
from aptrack.organisations.tests.factories import la
from aptrack.panels import services as panels
from aptrack.panels.tests.factories import PanelFactory
from aptrack.quality.services import frameworks as quality_frameworks
from aptrack.quality.tests.factories import LOCAL_TEMPLATE, national

AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
ROUNDS = 20
ON_POSTGRESQL = connection.vendor == "postgresql"

# name -> (set up: world -> (record, save(record, version, text, actor), read(record) -> text))
Saver = Callable[[Any, int, str, Any], Any]


def _panel(world: Any) -> tuple[Any, Saver, Callable[[Any], str], Any]:
    panel = PanelFactory(local_authority=la("838"))

    def save(record: Any, version: int, text: str, actor: Any) -> Any:
        return panels.update_panel(
            actor=actor,
            at=AT,
            panel=record,
            expected_version=version,
            data={"name": text, "kind": "AP", "quorum": 3, "quorum_agencies": 2},
        )

    return (
        panel,
        save,
        lambda r: type(r).objects.get(pk=r.pk).name,
        (world.officer_a, world.manager_a),
    )


def _plan(world: Any) -> tuple[Any, Saver, Callable[[Any], str], Any]:
    plan = ActionFactory(priority__plan__created_by=world.manager_a).priority.plan

    def save(record: Any, version: int, text: str, actor: Any) -> Any:
        return improvement.update_plan(
            plan=record,
            actor=actor,
            at=AT,
            expected_version=version,
            data={
                "title": text,
                "board": "Board",
                "period_start": dt.date(2026, 9, 1),
                "period_end": dt.date(2028, 8, 31),
            },
        )

    return (
        plan,
        save,
        lambda r: type(r).objects.get(pk=r.pk).title,
        (world.manager_a, world.manager_a),
    )


def _priority(world: Any) -> tuple[Any, Saver, Callable[[Any], str], Any]:
    priority = ActionFactory(priority__plan__created_by=world.manager_a).priority

    def save(record: Any, version: int, text: str, actor: Any) -> Any:
        return improvement.update_priority(
            priority=record, actor=actor, at=AT, expected_version=version, data={"title": text}
        )

    return (
        priority,
        save,
        lambda r: type(r).objects.get(pk=r.pk).title,
        (world.manager_a, world.manager_a),
    )


def _action(world: Any) -> tuple[Any, Saver, Callable[[Any], str], Any]:
    action = ActionFactory(priority__plan__created_by=world.manager_a)

    def save(record: Any, version: int, text: str, actor: Any) -> Any:
        return improvement.update_action(
            action=record,
            actor=actor,
            at=AT,
            expected_version=version,
            data={"title": text, "owner_name": "Jo", "due_date": dt.date(2027, 3, 31)},
        )

    return (
        action,
        save,
        lambda r: type(r).objects.get(pk=r.pk).title,
        (world.manager_a, world.manager_a),
    )


def _standard(world: Any) -> tuple[Any, Saver, Callable[[Any], str], Any]:
    copy = quality_frameworks.copy_framework(
        actor=world.qa_lead_a, at=AT, la=la("838"), source=national(LOCAL_TEMPLATE)
    )
    standard = copy.standards.order_by("pk").first()

    def save(record: Any, version: int, text: str, actor: Any) -> Any:
        return quality_frameworks.update_standard(
            actor=actor,
            at=AT,
            standard=record,
            area_number=record.area_number,
            area_title=record.area_title,
            code=record.code,
            text=text,
            expected_version=version,
        )

    return (
        standard,
        save,
        lambda r: type(r).objects.get(pk=r.pk).text,
        (world.qa_lead_a, world.qa_lead_a),
    )


RECORDS = {
    "panel": _panel,
    "improvement plan": _plan,
    "priority": _priority,
    "action": _action,
    "QA standard": _standard,
}


def _at_once(
    save: Saver, record: Any, version: int, saves: list[tuple[str, Any]]
) -> dict[str, str]:
    """Each (text, actor) saved from `version`; returns text -> "saved" or "refused"."""
    outcomes: dict[str, str] = {}
    barrier = threading.Barrier(len(saves))

    def one(text: str, actor: Any) -> None:
        try:
            barrier.wait()
            save(record, version, text, actor)
            outcomes[text] = "saved"
        except RecordChangedElsewhere:
            outcomes[text] = "refused"
        finally:
            connections.close_all()

    if not ON_POSTGRESQL:
        for text, actor in saves:
            try:
                save(record, version, text, actor)
                outcomes[text] = "saved"
            except RecordChangedElsewhere:
                outcomes[text] = "refused"
        return outcomes
    threads = [threading.Thread(target=one, args=pair) for pair in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# One test over every record: each transactional test on PostgreSQL empties and reloads the
# database, so one pays for that once.
@pytest.mark.django_db(transaction=ON_POSTGRESQL, serialized_rollback=ON_POSTGRESQL)
def test_of_two_simultaneous_saves_one_stands_and_the_other_is_refused_every_time(world):
    for name, set_up in RECORDS.items():
        record, save, read, (first_actor, second_actor) = set_up(world)
        for round_number in range(1, ROUNDS + 1):
            version = type(record).objects.get(pk=record.pk).version
            first, second = f"First {round_number}", f"Second {round_number}"
            outcomes = _at_once(
                save, record, version, [(first, first_actor), (second, second_actor)]
            )
            assert sorted(outcomes.values()) == ["refused", "saved"], (name, round_number, outcomes)
            winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
            assert read(record) == winner, (
                name
            )  # what was saved is what is stored: nothing lost unseen
            assert type(record).objects.get(pk=record.pk).version == version + 1, name
