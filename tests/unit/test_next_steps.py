"""The quarterly list of open items (未办结件核对表) prints a next step for every status an open
item can have: a 举报 on which a case was opened (FILED) once made the list fail."""

from desktop.domain.workflow import FINISHED, Status
from desktop.services.printing import _NEXT_STEPS


def test_every_open_status_has_a_next_step() -> None:
    open_statuses = set(Status) - set(FINISHED)
    assert open_statuses <= set(_NEXT_STEPS), open_statuses - set(_NEXT_STEPS)
