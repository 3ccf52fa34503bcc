"""Publication dates as given: parsed, kept at the precision they came with, shown and ordered.

A date is stored as ISO 8601 cut to its precision: "2017" (year), "2017-03" (month),
"2017-03-13" (day) or "2017-03-13T10:05:00+00:00" (a moment). Nothing is invented: a date
given to the month stays a month, and is shown as "March 2017".

Parsing uses python-dateutil rather than dateparser (already installed through htmldate):
dateutil reads ISO 8601, RFC 2822 and the common written English forms deterministically, with
no language guessing and no relative dates ("yesterday" must not become a publication date);
what the string left out is found by parsing it against two different default dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

YEAR, MONTH, DAY, MOMENT = "year", "month", "day", "moment"
EARLIEST_YEAR = 1990  # before the web news this tool archives: a date before it is a misreading

_REDUCED = re.compile(r"^(\d{4})(?:-(\d{2}))?$")  # ISO 8601 reduced precision: 2017, 2017-03
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b")
_DEFAULTS = (dt.datetime(2000, 1, 1, 0, 0, 0, 0), dt.datetime(2001, 2, 2, 1, 1, 1, 1))


class DateError(ValueError):
    """A date that cannot be used, with the reason (the article is kept, undated)."""


def parse_date(value, today: dt.date | None = None) -> tuple[str, str | None]:
    """(ISO string at its precision, a note on how it was read or None); DateError when unusable."""
    if not isinstance(value, str):
        raise DateError(f"not a date string: {value!r}")
    text = " ".join(value.split())
    if not text:
        raise DateError("empty date")
    note = None
    m = _REDUCED.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"no month {month} in {value!r}")
        iso = f"{year:04d}" + (f"-{month:02d}" if month else "")
    else:
        iso = _parse_full(text, value)
        n = _NUMERIC.match(text)
        if n and int(n.group(1)) <= 12 and int(n.group(2)) <= 12 and n.group(1) != n.group(2):
            note = f"{value!r} could be day/month or month/day; read as month/day ({iso[:10]})"
    _check_range(iso, value, today or dt.date.today())
    return iso, note


def _parse_full(text: str, original: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else _moment(dt.datetime.fromisoformat(text))
    except ValueError:
        pass
    from dateutil import parser  # imported here: only imports with written dates need it

    try:
        a, b = (parser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        raise DateError(f"not a date: {original!r}") from None
    if a.year != b.year:
        raise DateError(f"no year in {original!r}")
    if a.month != b.month:
        return f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    if a.hour != b.hour:
        return a.date().isoformat()
    return _moment(a)


def _moment(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _check_range(iso: str, original: str, today: dt.date) -> None:
    first, last = bounds(iso)
    if last.year < EARLIEST_YEAR:
        raise DateError(f"{original!r} is before {EARLIEST_YEAR}")
    if first > today + dt.timedelta(days=1):
        raise DateError(f"{original!r} is in the future")


def precision(iso: str | None) -> str | None:
    """year, month, day or moment, from the stored form."""
    return _PRECISIONS.get(len(iso), MOMENT) if iso else None


_PRECISIONS = {4: YEAR, 7: MONTH, 10: DAY}  # the stored form's length: "2017", "2017-03", "2017-03-13"


def bounds(iso: str) -> tuple[dt.date, dt.date]:
    """The first and last day a stored date allows."""
    p = precision(iso)
    year = int(iso[:4])
    if p == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(iso[5:7])
    if p == MONTH:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(iso[:10])
    return day, day


def latest_day(iso: str | None) -> str | None:
    """The last day a date allows, as YYYY-MM-DD: the key that orders articles and picks origins.

    An article dated only "March 2017" counts as published on 31 March 2017, so it is placed
    before an article dated to a day only when it must have come first. Unparseable stored
    values (written before dates were checked) keep their first ten characters.
    """
    if not iso:
        return None
    try:
        return bounds(iso)[1].isoformat()
    except ValueError:
        return iso[:10]


def surely_before(a: str, b: str) -> bool:
    """Whether a date must have come before another: two moments with their time zones compared
    as moments, anything else by days (the last day a allows before the first day b allows; on
    the same day, neither). False when either cannot be read."""
    try:
        if precision(a) == MOMENT and precision(b) == MOMENT:
            x, y = dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)
            if (x.tzinfo is None) == (y.tzinfo is None):
                return x < y
        return bounds(a)[1] < bounds(b)[0]
    except ValueError:
        return False


def display(iso: str | None) -> str | None:
    """How a date reads on the site and in the terminal: "March 2017", "2017", "2017-03-13"."""
    p = precision(iso)
    if p == YEAR:
        return iso
    if p == MONTH:
        try:
            return f"{calendar.month_name[int(iso[5:7])]} {iso[:4]}"
        except (ValueError, IndexError):
            return iso
    return iso[:10] if iso else None
