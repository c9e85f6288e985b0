"""The facts the caseworker's home shows that apps above placements record, which placements do
not import. Each app registers its readers here from its AppConfig.ready (`core.readers`):

- "illness_approaching"(la_id, on): the illness duties (`attendance.selectors.IllnessDuty`) of
  the LA's children with 10 or more days of illness absence this academic year (attendance).
"""

from aptrack.core.readers import Readers

readers = Readers("placements")
