"""Background tasks of the oversight app (django-tasks: the database backend and
`aptrack db_worker` in production, run there and then in tests)."""

import datetime as dt

from django_tasks import task

from aptrack.oversight import pack_services


@task()
def build_committee_pack(export_id: int) -> None:
    """Build a requested committee pack, telling the export how far it has got."""
    pack_services.run_pack_export(export_id=export_id)


@task()
def refresh_figures(la_ids: list[int], day: str) -> int:
    """Compute again the LAs' figures looked at that day whose data has changed since."""
    from aptrack.oversight import figures

    return figures.refresh(la_ids=la_ids, today=dt.date.fromisoformat(day))
