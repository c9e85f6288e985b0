"""Fixed clocks and helpers for attendance tests.

The world's child_a is placed with provider X from Monday 7 September 2026; child_b with
provider Z. Autumn 2 2026 runs 2 November to 18 December, so Monday 23 November 2026 is a
school day and TODAY (Wednesday 25 November) is after it.
"""

import datetime as dt
import io

import pytest

from aptrack.attendance import services
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import MarkChannel

TODAY = dt.date(2026, 11, 25)
AT = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 23)
TUESDAY = dt.date(2026, 11, 24)
HEADER = "UPN,Date,Session,Code,Minutes late,Comment"


def csv_bytes(
    *rows: str, header: str = HEADER, newline: str = "\r\n", encoding: str = "utf-8"
) -> bytes:
    return newline.join([header, *rows, ""]).encode(encoding)


def record_file(world, data: bytes, *, name: str = "marks.csv", today: dt.date = TODAY, user=None):
    user = user or world.provider_x
    return services.record_marks(
        provider=user.organisation,
        marks=services.MarksFile(stream=io.BytesIO(data), name=name),
        actor=user,
        channel=MarkChannel.UPLOAD,
        at=AT,
        today=today,
    )


def record_rows(world, *rows: MarkRow, today: dt.date = TODAY, user=None, channel=MarkChannel.API):
    user = user or world.provider_x
    return services.record_marks(
        provider=user.organisation,
        marks=list(rows),
        actor=user,
        channel=channel,
        at=AT,
        today=today,
    )


def rejected(call, *args, **kwargs) -> services.MarksReport:
    with pytest.raises(services.MarksRejected) as caught:
        call(*args, **kwargs)
    return caught.value.report
