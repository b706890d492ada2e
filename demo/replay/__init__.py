"""Replaying the demo's history through the real service functions, each step at its moment.

Every service that writes a timestamp or reads "today" takes `now` (default: the current time):
the charter lifecycle and content services, the case workflow, the survey's entry of paper
questionnaires. The replay passes the moment of each step, so agreement, approval and
publication, every timeline event, the change history (simple_history's `history_date`, set by
the services) and every deadline agree with the day the step happened, without touching the
clock. Only `updated_at` fields (`auto_now`, stamped on every save) show the time of the run,
except on cases, whose last change is written back at its moment (see `feedback.replay_case`).

- `charters`: facilities, staff users and the versions of each charter, with
- `evaluations`: the monitoring and evaluation rounds between them (a round's findings start a revision);
- `feedback`: three months of cases;
- `survey`: semesters of questionnaires and the follow-up of weak elements.
"""

from .charters import build_history, seed_facility, seed_user
from .feedback import seed_activity
from .survey import seed_survey

__all__ = ["build_history", "seed_activity", "seed_facility", "seed_survey", "seed_user"]
