"""The benchmark's DuckDB half computes the same attendance figures as aptrack from the same
marks exported to Parquet (on SQLite the export reads through a cursor, on PostgreSQL by COPY)."""

import datetime as dt

import duckdb
import pytest

from aptrack.attendance.loading import MarkRow
from aptrack.attendance.tests.conftest import record_rows
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la
from aptrack.oversight.periods import Period
from aptrack.providers.tests.factories import ProviderFactory
from bench import oversight as bench

WEEKS = [dt.date(2026, 11, 9), dt.date(2026, 11, 16)]  # two school weeks of Autumn 2026


def _marks(world, upn: str, codes: list[str]) -> None:
    sessions = [
        (monday + dt.timedelta(days=n), session)
        for monday in WEEKS
        for n in range(5)
        for session in ("AM", "PM")
    ]
    record_rows(
        world,
        *(
            MarkRow(upn=upn, date=day.isoformat(), session=session, code=code)
            for (day, session), code in zip(sessions, codes, strict=False)
        ),
    )


@pytest.fixture
def marked(world):
    ProviderFactory(organisation=world.provider_x.organisation, kind="PRU", setting_type="OOT")
    second = PlacementFactory(
        # Past compulsory school age, so code X is allowed for them.
        child=ChildFactory(home_la=la("838"), date_of_birth=dt.date(2009, 3, 14)),
        provider=world.provider_x.organisation,
        commissioning_la=la("838"),
    )
    _marks(world, world.child_a.upn, ["/"] * 17 + ["I", "O", "#"])  # 2 of 19 absent: persistent
    _marks(world, second.child.upn, ["/", "\\"] * 4 + ["O"] * 10 + ["C2", "X"])  # severe
    return world


@pytest.mark.django_db(transaction=False)
def test_duckdb_on_the_exported_parquet_agrees_with_aptrack(marked, tmp_path):
    files = bench.export_to_parquet(tmp_path)
    assert files.rows == 40 and files.marks.exists() and files.placements.exists()
    dorset, hackney = la("838"), la("204")
    autumn = Period.term(2026, 0)
    with duckdb.connect() as duck:
        ours = bench.aptrack_attendance(period=autumn, la_id=dorset.pk)
        theirs = bench.duckdb_attendance(duck, files, period=autumn, la_id=dorset.pk)[None]
        assert theirs == ours
        assert (ours.children, ours.persistent, ours.severe) == (2, 2, 1)
        assert ours.counts.possible == 38 and ours.counts.not_possible == 1
        assert theirs.attendance_rate == ours.attendance_rate
        # No marks for Hackney: nothing from either side.
        assert bench.duckdb_attendance(duck, files, period=autumn, la_id=hackney.pk) == {}
        assert bench.aptrack_attendance(period=autumn, la_id=hackney.pk).children == 0
        # By LA, nationally.
        assert bench.duckdb_attendance(duck, files, period=autumn, by_la=True) == (
            bench.aptrack_attendance_by_la(period=autumn)
        )
        # Weeks count as the rollups count them: a period inside the first week takes all of it.
        one_day = Period.custom(dt.date(2026, 11, 10), dt.date(2026, 11, 10))
        assert bench.duckdb_attendance(duck, files, period=one_day, la_id=dorset.pk)[None] == (
            bench.aptrack_attendance(period=one_day, la_id=dorset.pk)
        )


def test_percentiles_pick_the_value_at_or_above_the_rank():
    values = [float(n) for n in range(1, 101)]
    assert bench.percentile(values, 50) == 50.0
    assert bench.percentile(values, 95) == 95.0
    assert bench.percentile([7.0], 95) == 7.0


def test_the_summary_reports_issue_13s_four_figures_against_their_targets(capsys):
    from types import SimpleNamespace

    kent, dorset = SimpleNamespace(pk=1, name="Kent"), SimpleNamespace(pk=2, name="Dorset")
    row = {
        "a50": 20.0,
        "a95": 40.0,
        "b50": 21.0,
        "b95": 45.0,
        "c50": 300.0,
        "c95": 400.0,
        "r50": 250.0,
        "r95": 6000.0,
        "duck50": 500.0,
        "agree": True,
    }
    rows = {1: row, 2: {**row, "a95": 60.0, "duck50": 100.0, "agree": False}}
    bench._summary([kent, dorset], rows, fresh50=900.0, kept50=30.0, kept95=50.0, duck_all50=400.0)
    out = capsys.readouterr().out
    assert "(a) dashboard p95 <= 50 ms: worst 60.0 ms: NOT met" in out
    assert (
        "(b) at Kent, first request after a change p95 <= 150 ms: 45.0 ms within the bound: met"
        in out
    )
    assert "400.0 ms computed on the request: NOT met" in out
    assert "worker refresh p95 6.00 s at Kent" in out and out.count("NOT met") == 5
    assert "(c) refresh at least as fast as DuckDB's scan (>= 1x): worst 0.40x: NOT met" in out
    assert (
        "afresh p50 900.0 ms = 2.25x DuckDB's all-LA scan (400.0 ms), target <= 2x: NOT met" in out
    )
    assert "DISAGREE" in out
