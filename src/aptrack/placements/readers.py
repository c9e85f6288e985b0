"""The facts the caseworker's home shows that apps above placements record, which placements do
not import. Each app registers its readers here from its AppConfig.ready (`core.readers`):

- "illness_approaching"(la_id, on): the illness duties (`attendance.selectors.IllnessDuty`) of
  the LA's children with 10 or more days of illness absence this academic year (attendance).
- "contract_cost"(placement, hours_per_week): the weekly cost of a placement bought on a contract,
  or None when it has none (`commissioning.costs.placement_cost`, the rule's owner).
"""

from aptrack.core.readers import Readers

readers = Readers("placements")
