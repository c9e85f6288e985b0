# The real-browser fixtures (Chromium, live server, axe), shared with core's browser tests.
from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures, used by name
    browser,
    browser_problems,
    browser_world,
    chromium_executable,
    new_page,
)
