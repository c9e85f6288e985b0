"""The facts referrals' rules (the sixth-day duty, the Fair Access deadline) and the referral
page wait on, recorded by apps above referrals, which referrals do not import. Each app
registers its readers here from its AppConfig.ready (`core.readers`):

- "provision_runs"(child_ids, on): (child_id, start_date, end_date) of each placement of those
  children that ran (not planned or cancelled) and started by `on` (placements);
- "placements_started"(referral_ids, on): (referral_id, start_date) of the placements made from
  those referrals that ran and started by `on`, earliest first (placements);
- "fair_access_approvals"(la_id, on, referral_ids): the agenda items of the LA's Fair Access
  Panels approved at a meeting held by `on`, by referral then meeting date (panels);
- "agenda_history"(referral): the agenda items the referral was put before (panels);
- "illness_duty"(child_id, on): the child's illness absence this academic year
  (`attendance.selectors.IllnessDuty`), or None (attendance).
"""

from aptrack.core.readers import Readers

readers = Readers("referrals")
