"""Background tasks of the oversight app (django-tasks: the database backend and
`aptrack db_worker` in production, run there and then in tests)."""

from django_tasks import task

from aptrack.oversight import pack_services


@task()
def build_committee_pack(export_id: int) -> None:
    """Build a requested committee pack, telling the export how far it has got."""
    pack_services.run_pack_export(export_id=export_id)


@task()
def refresh_dashboards(la_ids: list[int], day: str) -> int:
    """Rebuild the LAs' dashboard pages looked at today whose data has changed since."""
    import datetime as dt

    from aptrack.oversight import dashboard_page

    return dashboard_page.refresh(la_ids=la_ids, today=dt.date.fromisoformat(day))


@task()
def refresh_national_figures(start: str, end: str, label: str, day: str) -> bool:
    """Read every LA's figures for the national view again, if anything changed since they were kept."""
    import datetime as dt

    from aptrack.oversight import national_figures
    from aptrack.oversight.periods import Period

    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end), label)
    return national_figures.refresh(period=period, today=dt.date.fromisoformat(day))
