"""What the provider register reads of placements (occupancy, the children placed), which
providers do not import. Placements registers it from its AppConfig.ready (`core.readers`):

- "running_on_q"(on, prefix=""): the filter for a placement running on `on`
  (`placements.rules.running_on_q`), the placements reached through `prefix`.
"""

from aptrack.core.readers import Readers

readers = Readers("providers")
