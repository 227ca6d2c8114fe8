"""The official working-day calendar: chinesecalendar, administrator overrides, a guess for unknown years."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import chinese_calendar


class YearSource(StrEnum):
    OFFICIAL = "official"  # chinesecalendar has the State Council's notice for the year
    CONFIRMED = "confirmed"  # an administrator entered the year's calendar
    GUESSED = "guessed"  # festivals from `holidays`, make-up working days unknown

    @property
    def label(self) -> str:
        return {"official": "国务院公布", "confirmed": "管理员录入", "guessed": "推测"}[self.value]


def guessed_year_warning(years: Iterable[int]) -> str:
    listed = "、".join(f"{y} 年" for y in sorted(set(years)))
    return (
        f"{listed}的节假日安排尚未公布，期限按推测计算（含法定节日，未含调休上班日），"
        "请管理员在国务院公布后录入当年日历并复核期限。"
    )


@dataclass(frozen=True)
class DueDate:
    """A deadline, with the years whose calendar had to be guessed to reach it."""

    day: date
    guessed_years: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_guess(self) -> bool:
        return bool(self.guessed_years)

    @property
    def warning(self) -> str | None:
        return guessed_year_warning(self.guessed_years) if self.guessed_years else None


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_working: bool
    name: str  # holiday name, "调休上班", "周末" …
    source: YearSource


@lru_cache(maxsize=64)
def _guessed_festivals(year: int) -> Mapping[date, str]:
    import holidays  # with dateutil, about 80 ms: only when a year has to be guessed

    return dict(holidays.China(years=year, language="zh_CN"))


@lru_cache(maxsize=256)
def _official_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """Decides whether a day is a working day; counts and adds working days.

    Administrator overrides win over everything; then the official calendar; for a year
    neither knows, weekends and the festivals of the `holidays` package, flagged as a guess.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        confirmed_years: Iterable[int] = (),
    ) -> None:
        self._overrides = dict(overrides or {})
        self._confirmed = frozenset(confirmed_years)
        self._cache: dict[date, bool] = {}

    def source(self, year: int) -> YearSource:
        if _official_known(year):
            return YearSource.OFFICIAL
        if year in self._confirmed:
            return YearSource.CONFIRMED
        return YearSource.GUESSED

    def is_working_day(self, day: date) -> bool:
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self._decide(day)
        return cached

    def _decide(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        source = self.source(day.year)
        if source is YearSource.OFFICIAL:
            return bool(chinese_calendar.is_workday(day))
        # Guessed or confirmed: the festivals the `holidays` package knows, corrected by the
        # administrator's overrides (make-up days, changed dates). Confirming only ends the guess.
        return day.weekday() < 5 and day not in _guessed_festivals(day.year)

    def add_working_days(self, start: date, n: int) -> DueDate:
        """The end of the n-th working day after `start`; `start` itself is not counted."""
        if n < 0:
            raise ValueError("n must be non-negative")
        day, counted, guessed = start, 0, set()
        while counted < n:
            day += timedelta(days=1)
            if self.source(day.year) is YearSource.GUESSED:
                guessed.add(day.year)
            if self.is_working_day(day):
                counted += 1
        return DueDate(day, frozenset(guessed))

    def working_day_on_or_after(self, day: date) -> DueDate:
        """`day` if it is a working day, else the first working day after it: where a period
        whose last day is a rest day or holiday ends when its rule set moves it on."""
        guessed = set()
        while True:
            if self.source(day.year) is YearSource.GUESSED:
                guessed.add(day.year)
            if self.is_working_day(day):
                return DueDate(day, frozenset(guessed))
            day += timedelta(days=1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (the counting rule: the first day is not counted)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def year_exceptions(self, year: int) -> list[DayInfo]:
        """Each non-working weekday and working weekend day of the year."""
        source = self.source(year)
        names = _guessed_festivals(year)
        out: list[DayInfo] = []
        day = date(year, 1, 1)
        while day.year == year:
            working = self.is_working_day(day)
            weekend = day.weekday() >= 5
            if working == weekend:
                out.append(DayInfo(day, working, self._day_name(day, working, names), source))
            day += timedelta(days=1)
        return out

    def _day_name(self, day: date, working: bool, names: Mapping[date, str]) -> str:
        if day in self._overrides:
            return "管理员设定：上班" if working else "管理员设定：休息"
        if working:
            return "调休上班"
        if self.source(day.year) is YearSource.OFFICIAL:
            _, holiday = chinese_calendar.get_holiday_detail(day)
            if holiday is not None:
                return _HOLIDAY_NAMES.get(str(holiday), str(holiday))
        return names.get(day, "休息")


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
