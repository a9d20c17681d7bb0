"""The holidays a caller in the US names a day by: "christmas eve", "thanksgiving", "easter", "new year's day".

`holiday_at(words, index)` finds a holiday's name at a word (the longest that fits: "christmas eve" before
"christmas"), `holiday_in(name, year)` its day in a year. Fixed days, the nth weekday of a month (Thanksgiving,
Memorial Day, Labor Day) and Easter's (Gregorian computus) are known; holidays of other calendars (lunar,
Hindu, Islamic, Jewish, Orthodox) are not, and no day is guessed for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 19 * l) // 433
    month, day = divmod(h + l - 7 * m + 90, 25)
    return dt.date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth weekday (0 Monday) of a month; nth -1 is the last, and a fifth the month lacks is its last."""
    if nth < 0:
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else day - dt.timedelta(days=7)


def _nth(month: int, weekday: int, nth: int) -> Callable[[int], dt.date]:
    return lambda year: nth_weekday(year, month, weekday, nth)


def _fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


_MON, _THU, _SUN = 0, 3, 6
_DAYS: dict[str, Callable[[int], dt.date]] = {
    "new year's day": _fixed(1, 1), "martin luther king day": _nth(1, _MON, 3), "valentine's day": _fixed(2, 14),
    "presidents' day": _nth(2, _MON, 3), "st patrick's day": _fixed(3, 17),
    "good friday": lambda y: _easter(y) - dt.timedelta(days=2), "easter": _easter,
    "easter monday": lambda y: _easter(y) + dt.timedelta(days=1), "mother's day": _nth(5, _SUN, 2),
    "memorial day": _nth(5, _MON, -1), "father's day": _nth(6, _SUN, 3), "juneteenth": _fixed(6, 19),
    "independence day": _fixed(7, 4), "labor day": _nth(9, _MON, 1), "columbus day": _nth(10, _MON, 2),
    "halloween": _fixed(10, 31), "veterans day": _fixed(11, 11), "thanksgiving": _nth(11, _THU, 4),
    "black friday": lambda y: _nth(11, _THU, 4)(y) + dt.timedelta(days=1), "christmas eve": _fixed(12, 24),
    "christmas": _fixed(12, 25), "new year's eve": _fixed(12, 31), "groundhog day": _fixed(2, 2),
    "earth day": _fixed(4, 22), "cinco de mayo": _fixed(5, 5), "flag day": _fixed(6, 14),
    "all saints' day": _fixed(11, 1),
    "boxing day": _fixed(12, 26),
}
_NAMES = {
    "new years day": "new year's day", "new years": "new year's day",
    "martin luther king day": "martin luther king day", "martin luther kings day": "martin luther king day",
    "martin luther king jr day": "martin luther king day", "mlk day": "martin luther king day",
    "mlk jr day": "martin luther king day", "valentines day": "valentine's day", "valentines": "valentine's day",
    "presidents day": "presidents' day", "st patricks day": "st patrick's day",
    "saint patricks day": "st patrick's day",
    "st patrick": "st patrick's day", "saint patrick": "st patrick's day", "st patricks": "st patrick's day",
    "saint patricks": "st patrick's day", "st paddys day": "st patrick's day", "saint paddys day": "st patrick's day",
    "good friday": "good friday", "easter": "easter", "easter sunday": "easter", "easter day": "easter",
    "easter monday": "easter monday", "mothers day": "mother's day", "memorial day": "memorial day",
    "fathers day": "father's day", "juneteenth": "juneteenth", "independence day": "independence day",
    "labor day": "labor day", "labour day": "labor day", "columbus day": "columbus day", "halloween": "halloween",
    "veterans day": "veterans day", "thanksgiving": "thanksgiving", "thanksgiving day": "thanksgiving",
    "black friday": "black friday", "christmas eve": "christmas eve", "xmas eve": "christmas eve",
    "christmas": "christmas", "christmas day": "christmas", "xmas": "christmas", "new years eve": "new year's eve",
    "groundhog day": "groundhog day", "earth day": "earth day", "cinco de mayo": "cinco de mayo",
    "flag day": "flag day",
    "all saints day": "all saints' day", "boxing day": "boxing day", "washingtons birthday": "presidents' day",
    "st valentines day": "valentine's day", "saint valentines day": "valentine's day",
}
"""What callers say (apostrophes left out) -> the holiday's name."""
_LONGEST = max(len(said.split()) for said in _NAMES)
_FIRST_WORDS = frozenset(said.split()[0] for said in _NAMES)


def holiday_at(words: list[str], index: int) -> tuple[str, int] | None:
    """(the holiday's name, the index after it) when `words[index:]` starts with one, else None."""
    if index >= len(words) or words[index].replace("'", "").removesuffix(".") not in _FIRST_WORDS:
        return None
    plain = [word.replace("'", "").removesuffix(".") for word in words[index:index + _LONGEST]]
    for length in range(len(plain), 0, -1):
        name = _NAMES.get(" ".join(plain[:length]))
        if name is not None:
            return name, index + length
    return None


def holiday_in(name: str, year: int) -> dt.date:
    """The holiday's day in `year`."""
    return _DAYS[name](year)
