"""What a web worker does once it has loaded Django, before its first request (gunicorn's
`post_worker_init` hook in gunicorn.conf.py)."""

import gc


def settle() -> None:
    """Load the URLconf (and with it every view module), then move everything in memory into
    the garbage collector's permanent generation (`gc.freeze`).

    What a worker has loaded by now lives as long as it does, yet every full collection would
    walk all of it again: on the national bench a 200-child register page took 60 ms, and one
    request in seven ran a full collection that tripled that. Frozen, those objects are left
    out of collections (Python's documentation of `gc.freeze`), and only what requests make is
    scanned."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views now, not on the first request)
    gc.collect()  # what import left unreachable goes now, not frozen with the rest
    gc.freeze()
