"""gunicorn's settings for aptrack (`make serve`, deploy/aptrack-web.service): gunicorn reads
./gunicorn.conf.py from the directory it starts in, or pass `-c /path/to/gunicorn.conf.py`.
Each value can be changed from the environment (see .env.example)."""

import multiprocessing
import os

wsgi_app = "aptrack.config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
# Sync workers, (2 x cores) + 1 by default: each holds one database connection (DATABASE_CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request still running after this many seconds is killed and its worker replaced (the
# committee pack and other long work run in the task worker, not in a request).
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
# Replace each worker after this many requests (and a random few more) to bound slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 1000)
max_requests_jitter = 100


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded Django: its views imported and what it holds for life frozen
    out of garbage collection (aptrack/ops/workers.py)."""
    from aptrack.ops import workers

    workers.settle()


# Only the reverse proxy's X-Forwarded-* headers are trusted (it runs on the same host by default).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
# aptrack logs one JSON line per request itself, paths without query strings: no access log here.
accesslog = None
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "warning").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "aptrack.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
    "root": {"handlers": ["console"], "level": loglevel.upper()},
}
