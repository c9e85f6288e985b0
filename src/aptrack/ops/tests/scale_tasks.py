"""A task for the scale-out test (test_scale_out.py): each run appends its number to a file,
so the test counts how often each task ran across two workers."""

import os
import time

from django_tasks import task


@task()
def note_run(number: int, path: str) -> int:
    time.sleep(0.05)  # long enough for the other worker to claim tasks meanwhile
    with open(path, "a") as runs:
        runs.write(f"{number} {os.getpid()}\n")
    return number
