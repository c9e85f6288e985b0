"""A publication copy for a very small LA: when every row of a breakdown with a total rests on one
child (or a total is itself 1 to 4 children), no complementary row is left to hide a "c", so the
total goes too and the breakdown says so. The pack never fails for it."""

import pytest
from django.urls import reverse

from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures import store
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.measures.catalogue import Breakdown, Dashboard, Figure, Row, Section
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.models import PackExport
from aptrack.oversight.pack import services, suppression
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.pack.states import PackStatus
from aptrack.oversight.tests.pack.test_disclosure import recovered
from aptrack.oversight.tests.regional_samples import AUTUMN, TODAY

C = suppression.SUPPRESSED


def _ones(key: str, n: int) -> list[Row]:
    return [Row(f"Group {i}", 1, 1, f"measure={key}&value={i}") for i in range(n)]


def tiny_dashboard(la: object = "Rutland", period: Period = AUTUMN) -> Dashboard:
    """Three children, one in each tier; six children, one in each of six groups; a single row."""
    return Dashboard(
        la=la,  # type: ignore[arg-type]
        period=period,
        today=TODAY,
        sections=[
            Section(
                "who",
                "Who is in AP",
                [Figure("children_in_ap", "Children in AP now", 3, "count", 3, None)],
                [
                    Breakdown("by_tier", "By tier", "count", _ones("by_tier", 3), "bar", total=3),
                    Breakdown("by_need", "By need", "count", _ones("by_need", 6), "bar", total=6),
                    Breakdown("by_sex", "By sex", "count", _ones("by_sex", 1), "bar", total=1),
                ],
            )
        ],
    )


def test_single_child_rows_with_a_fixed_total_are_suppressed_with_their_total() -> None:
    original = tiny_dashboard()
    published = suppression.suppress_dashboard(original)  # raised ValueError before
    assert recovered(published, original) == []
    for key in ("by_tier", "by_need", "by_sex"):
        breakdown = published.breakdown(key)
        assert [row.value for row in breakdown.rows] == [C] * len(breakdown.rows), key
        assert breakdown.total is None, key  # the total would give the rows back
        assert "total is not shown" in breakdown.note, key
    assert published.figure("children_in_ap").value == C
    assert original.breakdown("by_tier").total == 3  # the original is untouched


def test_protect_never_raises_when_every_related_number_is_fixed() -> None:
    cells = {
        "total": suppression.Cell(2, fixed=True),
        "a": suppression.Cell(1, sensitive=True),
        "b": suppression.Cell(1, sensitive=True),
    }
    hidden = suppression.protect(cells, [suppression.Relation("total", ("a", "b"))])
    assert hidden == {"a", "b", "total"}


@pytest.mark.django_db
def test_a_publication_copy_of_a_real_one_child_la(world) -> None:
    board = build_dashboard(la=la("838"), period=AUTUMN, today=TODAY)
    published = suppression.suppress_dashboard(board)
    assert recovered(published, board) == []


def _patch_store(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    def fake(*, la: object, period: Period, today: object, cohort: str = "period") -> store.Kept:
        return store.Kept(tiny_dashboard(la, period), dt.datetime(2026, 11, 20, tzinfo=dt.UTC))

    monkeypatch.setattr(store, "dashboard", fake)


@pytest.mark.django_db
def test_the_pack_service_builds_a_publication_pack_for_a_tiny_la(world, monkeypatch) -> None:
    import datetime as dt

    _patch_store(monkeypatch)
    pack = build_pack(
        la=la("838"),
        period=AUTUMN,
        today=TODAY,
        for_publication=True,
        generated_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC),
    )
    assert [row.value for row in pack.dashboard.breakdown("by_tier").rows] == [C, C, C]
    export = PackExport.objects.create(
        local_authority=la("838"),
        period_start_date=AUTUMN.start,
        period_end_date=AUTUMN.end,
        period_label=AUTUMN.label,
        for_publication=True,
        requested_by=world.manager_a,
        requested_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC),
        as_at_date=TODAY,
    )
    services.run_pack_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == PackStatus.DONE


@pytest.mark.django_db
def test_asking_for_a_publication_pack_of_a_tiny_la_never_fails(
    client, world, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    _patch_store(monkeypatch)
    client.force_login(world.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("oversight:pack_request"), {"period": "this-term", "for_publication": "on"}
        )
    assert response.status_code == 302
    export = PackExport.objects.get()
    assert export.status == PackStatus.DONE, export.error
    status = client.get(response["Location"])
    assert status.status_code == 200 and "Ready to download" in status.content.decode()
    for kind in ("pdf", "xlsx"):
        download = client.get(reverse("oversight:pack_download", args=[export.pk, kind]))
        assert download.status_code == 200
