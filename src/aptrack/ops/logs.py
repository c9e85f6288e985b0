"""JSON logs: one object per line, each with the request id of the request it belongs to.

The id comes from the request's ``X-Request-ID`` header when it is a plain token (a proxy's id,
so its log and ours can be joined), else it is generated; it is sent back in the response's
``X-Request-ID``. Lines carry paths only, never query strings (a search by a child's name would
put the name in the log), and never a user's name: the user's numeric id at most.

Imports nothing from Django's models, so gunicorn's own logging can use the formatter too.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# LogRecord's own attributes: anything else on a record came through ``extra=`` and is logged.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Django puts the request object on its records; it holds the query string and cookies.
_NEVER_LOGGED = {"request", "args"}


def request_id_from(header: str | None) -> str:
    if header and ACCEPTED_REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str | int | float | bool | None] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": _without_query(record.getMessage()),
            "request_id": request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _NEVER_LOGGED and key not in line:
                line[key] = (
                    value if isinstance(value, int | float | bool | type(None)) else str(value)
                )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def _without_query(message: str) -> str:
    """Django's own messages quote the full path ("Not Found: /children/?q=Smith"): keep the path."""
    return _QUERY.sub(r"\1", message)


def logging_config(level: str) -> dict:
    """Django's LOGGING: every logger through one JSON handler on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own plain-text console handler (DEBUG only) is dropped: its lines reach
            # the root's JSON handler once, like every other logger's.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.request": {"level": level, "propagate": True},
            "aptrack.requests": {"level": "INFO", "propagate": True},
        },
    }
