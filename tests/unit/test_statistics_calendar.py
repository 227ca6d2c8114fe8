"""统计's cached calendar (a prefix sum over the days asked about) answers exactly as the working
calendar does: working days added (the day and the guessed years), counted, in any order of
questions, across the Spring Festival, make-up days, overrides and guessed years."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from desktop.domain.calendar import WorkingCalendar
from desktop.services.statistics import _Calendar


@pytest.mark.parametrize("calendar", [
    WorkingCalendar(),
    WorkingCalendar({date(2027, 2, 20): True, date(2027, 2, 11): False,
                     date(2025, 10, 9): False}, [2027]),
])
def test_the_cached_calendar_answers_as_the_calendar(calendar: WorkingCalendar) -> None:
    fast = _Calendar(calendar)
    rng = random.Random(18)
    # In a shuffled order: later days first, then earlier ones (the prefix's first day moves).
    starts = [date(2024, 11, 1) + timedelta(days=i) for i in range(0, 1300, 3)]
    rng.shuffle(starts)
    checked = guessed = 0
    for start in starts:
        for n in (0, 1, 7, 15, 30, 45, 60):
            want, got = calendar.add_working_days(start, n), fast.add_working_days(start, n)
            assert (got.day, got.guessed_years) == (want.day, want.guessed_years), (start, n)
            guessed += bool(want.guessed_years)
            checked += 1
        end = start + timedelta(days=rng.randrange(0, 200))
        assert fast.working_days_between(start, end) == calendar.working_days_between(start, end)
    assert checked == len(starts) * 7 and guessed > 0
    with pytest.raises(ValueError):
        fast.add_working_days(date(2025, 1, 1), -1)


def test_a_day_far_before_the_first_moves_the_prefix() -> None:
    calendar = WorkingCalendar()
    fast = _Calendar(calendar)
    assert fast.add_working_days(date(2026, 9, 30), 7) == calendar.add_working_days(date(2026, 9, 30), 7)
    early = date(2020, 1, 20)  # the Spring Festival of 2020, years before the first question
    assert fast.add_working_days(early, 7) == calendar.add_working_days(early, 7)
    assert fast.working_days_between(early, date(2026, 10, 9)) == \
        calendar.working_days_between(early, date(2026, 10, 9))
