"""Deadlines on the official calendar: holidays, make-up days, unknown years, pauses, rule sets."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.calendar import WorkingCalendar, YearSource
from desktop.domain.deadlines import (
    DayUnit,
    Pause,
    PeriodEnd,
    RuleSet,
    compute_deadlines,
    rule_set_for,
)
from desktop.domain.errors import DomainError
from desktop.domain.workflow import Status

R2014 = RuleSet("saic-2014", "2014", date(2014, 3, 15), 7, 60, DayUnit.CALENDAR, None, None, None, 10)
R2020 = RuleSet("samr-2020", "2020", date(2020, 1, 1), 7, 45, DayUnit.WORKING, 7, 15, 15, 10)
R2026 = RuleSet("samr-2026", "2026", date(2026, 4, 15), 7, 60, DayUnit.CALENDAR, 7, 15, 15, 10)
ALL = [R2020, R2026, R2014]
cal = WorkingCalendar()


def test_national_day_2025_is_skipped_and_make_up_saturday_counts() -> None:
    # Received Tue 30 Sep 2025: 1–8 Oct off; Oct 9, 10, Sat 11 (调休上班), 13, 14, 15, 16.
    due = cal.add_working_days(date(2025, 9, 30), 7)
    assert due.day == date(2025, 10, 16)
    assert not due.is_guess


def test_spring_festival_2026_with_its_two_make_up_saturdays() -> None:
    # Thu 12 Feb: Fri 13, Sat 14 (调休), 15–23 off, 24, 25, 26, 27, Sat 28 (调休) = 7.
    assert cal.add_working_days(date(2026, 2, 12), 7).day == date(2026, 2, 28)
    assert cal.is_working_day(date(2026, 2, 14))
    assert not cal.is_working_day(date(2026, 2, 17))


def test_receipt_day_is_not_counted() -> None:
    # Received Monday 2026-11-16: Tue 17 is the first working day.
    assert cal.add_working_days(date(2026, 11, 16), 1).day == date(2026, 11, 17)
    assert cal.working_days_between(date(2026, 11, 16), date(2026, 11, 20)) == 4


def test_complaint_received_2026_12_20_gets_deadlines_into_2027_with_a_warning() -> None:
    d = compute_deadlines(cal, R2020, received_on=date(2026, 12, 20),
                          accepted_on=date(2026, 12, 21), today=date(2026, 12, 21))
    assert d.acceptance_due.day == date(2026, 12, 29)
    assert not d.acceptance_due.is_guess
    # 45 working days, 2027 guessed: Jan 1 and the Spring Festival (Feb 5, 8–10) off.
    assert d.mediation_due is not None
    assert d.mediation_due.day == date(2027, 3, 1)
    assert d.mediation_due.guessed_years == {2027}
    assert any("2027 年" in w and "推测" in w for w in d.warnings)
    tentative = compute_deadlines(cal, R2026.__class__(**{**R2026.__dict__, "tentative": True}),
                                  received_on=date(2026, 12, 20), accepted_on=date(2026, 12, 21),
                                  today=date(2026, 12, 21))
    assert any("待确认" in w for w in tentative.warnings)
    # Under the 2026 rules: 60 days later is Fri 2027-02-19, a working day only by the guess.
    d = compute_deadlines(cal, rule_set_for(ALL, date(2026, 12, 20)), received_on=date(2026, 12, 20),
                          accepted_on=date(2026, 12, 21), today=date(2026, 12, 21))
    assert d.mediation_due is not None and d.mediation_due.day == date(2027, 2, 19)
    assert d.mediation_due.guessed_years == {2027}
    assert not any("待确认" in w for w in d.warnings)


def test_unknown_year_is_reported_as_guessed_and_festivals_are_off() -> None:
    assert cal.source(2027) is YearSource.GUESSED
    assert cal.source(2026) is YearSource.OFFICIAL
    assert not cal.is_working_day(date(2027, 10, 1))
    assert cal.is_working_day(date(2027, 10, 8))


def test_administrator_overrides_and_confirmed_year() -> None:
    # The State Council announces 2027: say Sat 2027-02-20 is a make-up working day.
    entered = WorkingCalendar({date(2027, 2, 20): True, date(2027, 2, 11): False}, [2027])
    assert entered.source(2027) is YearSource.CONFIRMED
    assert entered.is_working_day(date(2027, 2, 20))
    assert not entered.is_working_day(date(2027, 2, 11))
    assert not entered.add_working_days(date(2027, 2, 19), 1).is_guess
    assert entered.add_working_days(date(2027, 2, 19), 1).day == date(2027, 2, 20)
    # Overrides also correct an official year.
    assert not WorkingCalendar({date(2026, 11, 18): False}).is_working_day(date(2026, 11, 18))


def test_rule_set_is_chosen_by_receipt_date() -> None:
    assert rule_set_for(ALL, date(2019, 12, 31)) is R2014
    assert rule_set_for(ALL, date(2020, 1, 1)) is R2020
    assert rule_set_for(ALL, date(2026, 4, 14)) is R2020
    assert rule_set_for(ALL, date(2026, 4, 15)) is R2026
    with pytest.raises(DomainError):
        rule_set_for([], date(2026, 1, 1))


def test_2014_rules_count_mediation_in_calendar_days() -> None:
    d = compute_deadlines(cal, R2014, received_on=date(2018, 3, 1), accepted_on=date(2018, 3, 5),
                          today=date(2018, 3, 5))
    assert d.mediation_due is not None and d.mediation_due.day == date(2018, 5, 4)
    assert d.termination_notice_due is None


def test_pause_for_appraisal_moves_the_mediation_due_date() -> None:
    base = compute_deadlines(cal, R2020, received_on=date(2026, 5, 6), accepted_on=date(2026, 5, 8),
                             today=date(2026, 6, 1))
    # Paused Mon 1 Jun, resumed Mon 8 Jun: Jun 2–5 and 8 are five working days.
    paused = compute_deadlines(cal, R2020, received_on=date(2026, 5, 6), accepted_on=date(2026, 5, 8),
                               today=date(2026, 6, 10),
                               pauses=[Pause(date(2026, 6, 1), date(2026, 6, 8), "送检")])
    assert paused.paused_days == 5
    assert base.mediation_due is not None and paused.mediation_due is not None
    assert paused.mediation_due.day == cal.add_working_days(base.mediation_due.day, 5).day
    assert paused.mediation_due.day > base.mediation_due.day
    # While a pause runs, no clock runs for the list.
    running = compute_deadlines(cal, R2020, received_on=date(2026, 5, 6), accepted_on=date(2026, 5, 8),
                                today=date(2026, 6, 3), pauses=[Pause(date(2026, 6, 1), None, "送检")])
    assert running.mediation_paused
    assert running.current_due(Status.MEDIATING) is None


def test_other_deadlines() -> None:
    d = compute_deadlines(cal, R2020, received_on=date(2026, 9, 21), accepted_on=date(2026, 9, 22),
                          terminated_on=date(2026, 11, 2), violation_found_on=date(2026, 11, 2),
                          odr_started_on=date(2026, 9, 22), today=date(2026, 11, 2))
    assert d.termination_notice_due is not None and d.termination_notice_due.day == date(2026, 11, 11)
    assert d.violation_check_due is not None and d.violation_check_due.day == date(2026, 11, 23)
    assert d.violation_check_extended_due is not None
    assert d.violation_check_extended_due.day == date(2026, 12, 14)
    # ODR, 10 working days from Tue 22 Sep 2026: Sep 23, 24 (25th is 中秋), 28, 29, 30,
    # National Day 1–7 Oct off, Oct 8, 9, Sat 10 (调休上班), 12, 13.
    assert d.odr_due is not None and d.odr_due.day == date(2026, 10, 13)
    assert d.current_due(Status.REGISTERED) == d.acceptance_due
    assert d.current_due(Status.TERMINATED) == d.termination_notice_due
    assert d.current_due(Status.CLOSED) is None


# -- the 2026 rules: 60 days from acceptance ------------------------------------------------
def _mediation_due(rules: RuleSet, accepted_on: date, *, today: date | None = None,
                   pauses: list[Pause] | None = None) -> date:
    d = compute_deadlines(cal, rules, received_on=accepted_on, accepted_on=accepted_on,
                          today=today or accepted_on, pauses=pauses or [])
    assert d.mediation_due is not None
    return d.mediation_due.day


def test_2026_mediation_is_60_calendar_days_from_acceptance() -> None:
    # Received Wed 6 May 2026, accepted Fri 8 May: the 8th is not counted, the 60th day is 7 Jul.
    d = compute_deadlines(cal, rule_set_for(ALL, date(2026, 5, 6)), received_on=date(2026, 5, 6),
                          accepted_on=date(2026, 5, 8), today=date(2026, 5, 8))
    assert d.rule_set is R2026
    assert d.mediation_due is not None and d.mediation_due.day == date(2026, 7, 7)
    assert d.current_due(Status.MEDIATING) == d.mediation_due
    # The 2020 value would have been 45 working days: 10 Jul.
    assert _mediation_due(R2020, date(2026, 5, 8)) == date(2026, 7, 10)


def test_a_60th_day_on_a_weekend_or_holiday_moves_to_the_next_working_day() -> None:
    # Accepted Wed 13 May: the 60th day is Sun 12 Jul → Mon 13 Jul.
    assert _mediation_due(R2026, date(2026, 5, 13)) == date(2026, 7, 13)
    # Accepted Mon 3 Aug: the 60th day is Fri 2 Oct, in the National Day holiday (1–7 Oct) → 8 Oct.
    assert _mediation_due(R2026, date(2026, 8, 3)) == date(2026, 10, 8)
    # Accepted Tue 11 Aug: the 60th day is Sat 10 Oct, a make-up working day (调休上班): it stays.
    assert _mediation_due(R2026, date(2026, 8, 11)) == date(2026, 10, 10)


def test_a_rule_set_that_does_not_move_a_period_ends_on_the_rest_day() -> None:
    as_counted = RuleSet(**{**R2026.__dict__, "period_end": PeriodEnd.AS_COUNTED})
    assert _mediation_due(as_counted, date(2026, 8, 3)) == date(2026, 10, 2)
    assert _mediation_due(as_counted, date(2026, 5, 13)) == date(2026, 7, 12)


def test_a_pause_across_the_60_day_limit_extends_it_by_its_length() -> None:
    accepted = date(2026, 5, 8)  # due 7 Jul without a pause
    # Sent for testing on 1 Jul, report back on 20 Jul: 19 days do not count.
    # 7 Jul + 19 = Sun 26 Jul → Mon 27 Jul.
    pauses = [Pause(date(2026, 7, 1), date(2026, 7, 20), "送检")]
    d = compute_deadlines(cal, R2026, received_on=date(2026, 5, 6), accepted_on=accepted,
                          today=date(2026, 7, 21), pauses=pauses)
    assert d.paused_days == 19
    assert d.mediation_due is not None and d.mediation_due.day == date(2026, 7, 27)
    # Still at the laboratory on 10 Jul, past the old limit: no clock runs, none is overdue.
    running = compute_deadlines(cal, R2026, received_on=date(2026, 5, 6), accepted_on=accepted,
                                today=date(2026, 7, 10), pauses=[Pause(date(2026, 7, 1), None, "送检")])
    assert running.mediation_paused and running.current_due(Status.MEDIATING) is None
    assert running.mediation_due is not None and running.mediation_due.day == date(2026, 7, 16)
