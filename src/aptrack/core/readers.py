"""Readers an app's rules call for facts that apps above it record. The lower app names each
reader it needs and the upper app registers it from its AppConfig.ready, so the lower app never
imports the upper one (no app import cycle) while each rule keeps one owner: e.g. the sixth-day
duty stays with referrals and reads when provision ran from placements' reader."""

from collections.abc import Callable
from typing import Any


class Readers:
    """The readers of one app, by name."""

    def __init__(self, app: str) -> None:
        self.app = app
        self._readers: dict[str, Callable[..., Any]] = {}

    def register(self, name: str, reader: Callable[..., Any]) -> None:
        self._readers[name] = reader

    def __getitem__(self, name: str) -> Callable[..., Any]:
        try:
            return self._readers[name]
        except KeyError:
            raise LookupError(
                f"{self.app} reads {name!r}, which no installed app has registered"
            ) from None
