"""A web worker settles once Django is loaded (gunicorn's post_worker_init): what it holds for
life is left out of garbage collection."""

import gc

import pytest
from django.conf import settings

from aptrack.ops import workers


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_settling_freezes_what_is_loaded(unfrozen):
    gc.unfreeze()
    workers.settle()
    assert gc.get_freeze_count() > 10_000  # Django, its models and aptrack's views


def test_gunicorn_settles_each_worker_after_loading_django(monkeypatch):
    config = settings.PROJECT_DIR / "gunicorn.conf.py"
    namespace: dict[str, object] = {}
    exec(compile(config.read_text(), str(config), "exec"), namespace)  # noqa: S102
    calls = []
    monkeypatch.setattr(workers, "settle", lambda: calls.append("settled"))
    namespace["post_worker_init"](object())
    assert calls == ["settled"]
