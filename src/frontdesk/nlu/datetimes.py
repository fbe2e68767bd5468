"""Finding date and time expressions in a customer's message: the product's own extractor.

A hand-written grammar (regular expressions over a small lexicon), no model and no date
library: spans are found here (``find_datetime_spans``) and a time span is read into hour
and minute (``read_clock``); ``datetime_resolve`` does the calendar work.

Span conventions follow how people annotate booking messages (studied on the training
split of Restaurant-8k, never its test split):

* Lead-in words stay outside: "at [7pm]", "on [Friday]", "the [5th]", "for [tomorrow]".
* Times keep what qualifies them — "[7pm]", "[6ish]", "[7 in the evening]", "[8 tonight]",
  "[night at 8:15]" — but a spaced "am" (or "pm" after 12:xx) is left out of clock times
  ("[11:30] am"): lunch-hour times are written and labelled as plain clock readings.
* Relative durations carry both a date and a time ("in an hour", "now"): they are emitted
  once as a date and once as a time with the same offsets.
* A bare number is a time only in a time context: after "at/around/after...", with a
  qualifier ("6ish", "8 o'clock"), or when the system has just asked for the time
  (``requested_slots`` contains "time"), the way the user answers "13" to "what time?".
* A time the customer is correcting away from ("not 6pm", "from 18:00 to 17:45") is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SpanKind = Literal["date", "time"]
Grain = Literal["day", "time", "part_of_day"]
Span = tuple[int, int]
Pattern = re.Pattern[str]


@dataclass(frozen=True, slots=True)
class DateTimeSpan:
    """One date or time expression: ``text == message[start:end]``."""

    kind: SpanKind
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ResolvedDateTime:
    """One point in time a message refers to.

    ``text`` is ``message[start:end]``; when a date and a time were combined it covers both
    and whatever lies between ("next Tuesday at 3pm"). ``value`` is aware, in the
    workspace's zone. ``grain`` says how precise it is: ``day`` (value is that midnight),
    ``part_of_day`` ("tomorrow morning" → 09:00) or ``time``.
    """

    text: str
    start: int
    end: int
    value: datetime
    grain: Grain


def resolve_datetimes(
    text: str,
    *,
    now: datetime,
    timezone: str,
    day_first: bool = False,
    requested_slots: Sequence[str] = (),
) -> list[ResolvedDateTime]:
    """Absolute datetimes for ``text``; see ``frontdesk.nlu.datetime_resolve``."""
    # Imported here: the resolver builds on this module, and callers import both from here.
    from frontdesk.nlu.datetime_resolve import resolve_datetimes as resolve

    return resolve(
        text, now=now, timezone=timezone, day_first=day_first, requested_slots=requested_slots
    )


# --- lexicon -------------------------------------------------------------------------------

UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS: tuple[str, ...] = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")
TEENS += ("sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty")
NUMBER_WORDS: dict[str, int] = {word: i + 1 for i, word in enumerate(UNITS + TEENS)}
NUMBER_WORDS.update({word: 20 + 10 * i for i, word in enumerate(TENS)})
_ORDINAL_UNITS: tuple[str, ...] = ("first", "second", "third", "fourth", "fifth", "sixth")
_ORDINAL_UNITS += ("seventh", "eighth", "ninth")
_ORDINAL_TEENS: tuple[str, ...] = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth")
_ORDINAL_TEENS += ("fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")
ORDINAL_WORDS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORDINAL_UNITS + _ORDINAL_TEENS)}
for _i, _unit in enumerate(_ORDINAL_UNITS):
    ORDINAL_WORDS[f"twenty-{_unit}"] = ORDINAL_WORDS[f"twenty {_unit}"] = 21 + _i
ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31})


def _alternation(words: Iterable[str]) -> str:
    # Longest first so "seventeen" is tried before "seven"; spaces match any whitespace.
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


_UNIT = _alternation(UNITS)
NUM_WORD = rf"(?:(?:{_alternation(TENS)})(?:[\s-]?{_UNIT})?|{_alternation(TEENS)}|{_UNIT})"
HOUR_WORD = _alternation((*UNITS, "ten", "eleven", "twelve"))
MINUTE_WORD = (
    rf"(?:o[\s'\u2019]?{_UNIT}|{_alternation(TEENS)}|{_alternation(TENS)}(?:[\s-]?{_UNIT})?)"
)
ORD_WORD = _alternation(ORDINAL_WORDS)
COUNT = rf"(?:\d{{1,3}}|{NUM_WORD}|a\s+few|a\s+couple\s+of|couple\s+of|a|an|few|several)"

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
WEEKDAY_FULL = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)day"
WEEKDAY = rf"(?:{WEEKDAY_FULL}|(?:mon|tues?|wed|thur?s?|fri|sat|sun)(?![a-z])\.?)"
DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])"
ORDINAL = rf"(?:{DAY_NUM}(?:st|nd|rd|th)|{ORD_WORD})(?![a-z])"
DAY = rf"(?:{DAY_NUM}(?:st|nd|rd|th)?(?![a-z\d:])|{ORD_WORD}(?![a-z]))"
YEAR = r"(?:19|20)\d\d(?!\d)"
# "Friday, the 28th of", "Sunday, on August 19th", "Thursday, on the 30th of August".
_WEEKDAY_LEAD = rf"(?:{WEEKDAY}\s*,?\s*(?:on\s+)?(?:the\s+)?)"
_YEAR_TAIL = rf"(?:\s*,?\s*(?:of\s+)?{YEAR}|\s+this\s+year)?"
_WEEKDAY_TAIL = rf"(?:\s*,?\s*(?:on\s+)?{WEEKDAY_FULL})?"
_NOT_MAY_VERB = r"(?!\s+(?:i|we|you|he|she|they|it|be|have|get|book|come)\b)"
_NAMED_DAY = (
    r"\b(?:day\s+after\s+)?(?:tomm?orr?ow|tmrw|tmr)\b|\btoday\b|\bto(?:night|nite)\b"
    r"|\bthis\s+(?:evening|afternoon|morning)\b|\b(?:this|next)\s+weekend\b"
    rf"|\bnext\s+week(?:\s+{WEEKDAY_FULL})?\b|\bnew\s+year'?s(?:\s+(?:eve|day))?\b"
    r"|\bchristmas(?:\s+(?:eve|day))?\b|\bvalentine'?s(?:\s+day)?\b"
)

_FLAGS = re.IGNORECASE
# Each pattern comes with a cheap test the message must pass before the pattern is run:
# patterns that may start at any word are slow on long messages, and most messages have no
# slashes, month names or "from". (trigger, pattern); a None trigger always runs.
_MONTH_TRIGGER = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
DATE_PATTERNS = [
    (re.compile(trigger, _FLAGS) if trigger else None, re.compile(p, _FLAGS))
    for trigger, p in (
        # 2018/04/18, 08/01/2018, 5/8/18, 3/12; optionally "Sunday, 09/02/2018".
        (
            r"\d[/.-]\d",
            rf"(?<![\d/.:]){_WEEKDAY_LEAD}?(?:(?:19|20)\d\d[/.-]\d{{1,2}}[/.-]\d{{1,2}}"
            r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{1,2}/\d{1,2})(?![\d/])",
        ),
        # Month first: "August 23rd", "Tue, August 21, 2018", "Aug 26 2018, on Sunday".
        (
            _MONTH_TRIGGER,
            rf"\b{_WEEKDAY_LEAD}?{MONTH}\s*(?:the\s+)?{DAY}{_YEAR_TAIL}{_WEEKDAY_TAIL}",
        ),
        # Day first: "27th of August", "Sun, 05 Aug 2018", "Friday the 28th of December".
        (
            _MONTH_TRIGGER,
            rf"\b{_WEEKDAY_LEAD}?{DAY}\s*(?:of\s+)?{MONTH}{_NOT_MAY_VERB}{_YEAR_TAIL}{_WEEKDAY_TAIL}",
        ),
        # "Thursday the 3rd", "Tuesday the 18th 2018".
        (None, rf"\b{WEEKDAY}\s*,?\s*(?:the\s+)?{ORDINAL}(?:\s+{YEAR})?"),
        # A day of the month on its own: "the [5th]", "on the [first]".
        (None, rf"\b{DAY_NUM}(?:st|nd|rd|th)\b(?!\s+(?:birthday|anniversary|floor|time|person))"),
        (None, rf"(?<=\bthe\s){ORD_WORD}\b(?!\s+(?:time|one|person|floor|table|{WEEKDAY_FULL}))"),
        # Named days; each alternative starts with its own word, so none hides another.
        (None, rf"\b(?:(?:next|this|coming)\s+)?{WEEKDAY_FULL}\b|{_NAMED_DAY}"),
        # "in 6 days", "in 2 weeks and 3 days", "in 12 more days", "in about two weeks".
        (
            r"\bin\s",
            rf"\bin\s+(?:about\s+|around\s+|roughly\s+|just\s+)?{COUNT}\s+(?:more\s+)?"
            rf"(?:days?|weeks?|months?|fortnights?)\b(?:\s+and\s+{COUNT}\s+days?\b)?",
        ),
        (
            r"\bfrom\s",
            rf"\b{COUNT}\s+(?:more\s+)?(?:days?|weeks?|months?|{WEEKDAY_FULL}s?)\s+from\s+"
            rf"(?:now|today|{WEEKDAY_FULL})\b",
        ),
        (
            r"\sof\s",
            rf"\b(?:last|first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:{WEEKDAY_FULL}|day|weekend)"
            rf"\s+of\s+(?:this|next|the)\s+month\b|\blast\s+day\s+of\s+{MONTH}",
        ),
    )
]

# Expressions that carry both a date and a time ("in an hour", "now").
BOTH_PATTERNS = [
    (re.compile(trigger, _FLAGS), re.compile(p, _FLAGS))
    for trigger, p in (
        (
            r"\bin\s",
            rf"\bin\s+(?:about\s+|around\s+|roughly\s+|just\s+)?(?:{COUNT}|half\s+an?)\s+"
            r"(?:hours?|hrs?|minutes?|mins?)\b(?:\s+and\s+a\s+half\b)?",
        ),
        (r"from\s+now", rf"\b(?:{COUNT}|half\s+an)\s+(?:hours?|minutes?|mins?)\s+from\s+now\b"),
        # "right now", "anything free now?" — not "there are 7 of us now" or "bye now".
        (
            r"now",
            r"(?:^\s*|(?<=\bright\s)|(?<=\bfree\s)|(?<=\bavailable\s)|(?<=\bopen\s))now\b"
            r"(?=\s*(?:[?.!]|$))",
        ),
    )
]

PEOPLE_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:people|persons?|ppl|pax|guests?|adults?|kids?|child(?:ren)?|of\s+us|"
    r"diners?|heads|seats?|tops?|couples?|friends|guys|members|folks|others|more|ladies|"
    r"gentlemen|men|women|babies|infants|seniors|days?|weeks?|months?|years?|hours?|"
    r"minutes?|mins?|%|dollars?)\b",
    _FLAGS,
)
_HOUR_REF = rf"(?:\d{{1,2}}(?:[:.]\d\d)?|{HOUR_WORD}|noon|midnight|midday)(?![\d:])"
TIME_PATTERNS: list[tuple[str, Pattern]] = [
    (name, re.compile(p, _FLAGS))
    for name, p in (
        ("clock", r"(?<![\d:/.$£])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d:/]|[.:/]\d)"),
        ("clock", r"(?<![\d:/.$£])(?:0?[1-9]|1\d|2[0-3])[0-5]\d(?=\s?[ap]\.?\s?m\b|\s?hrs?\b)"),
        ("hour", r"(?<![\d:/.$£])(?:1[0-2]|0?[1-9])(?=\s?[ap]\.?\s?m\b)"),
        ("hour", r"(?<![\d:/.$£])(?:[01]\d|2[0-4])\s?(?:hrs?|h)\b"),  # "19hr", not "2 hrs"
        ("named", r"\b(?:noon|midday|mid-day|midnight)\b"),
        (
            "relation",
            rf"\b(?:(?:half|quarter)\s*-?\s*(?:past|after|before|till|til|to|of)"
            rf"|(?:\d{{1,2}}|{NUM_WORD})\s*(?:minutes?|mins?)\s+(?:past|after|before|till|til|to)"
            rf"|(?:[1-5][05]|{NUM_WORD})\s+(?:past|after|before)"
            r"|(?:five|ten|twenty(?:[\s-]five)?)\s+(?:to|till|til)"
            rf"|(?:an|one|{NUM_WORD}|\d)\s+hours?\s+(?:before|after))\s+{_HOUR_REF}",
        ),
        ("clock", rf"\bhalf[\s-]+(?:{HOUR_WORD}|1[0-2]|0?[1-9])\b(?!\s+(?:an?|of|the)\b)"),
        ("clock", rf"\b{HOUR_WORD}[\s-]+{MINUTE_WORD}\b"),
        ("bare", r"(?<![\d:/.$£,#])(?:[01]?\d|2[0-4])(?![\d]|[:./,]\d)"),
        (
            "bare",
            rf"\b(?:{HOUR_WORD}|{_alternation(TEENS[3:])}|twenty(?:[\s-]?(?:one|two|three))?)\b"
            r"(?!\s+(?:of|point|another|more|or|big|small|large|tables?|with|day|time|thing)\b)",
        ),
        # 24-hour "1930", "630"; not a phone number ("555 1234") or an ordinal.
        (
            "bare",
            r"(?<![\d:/.$£-])(?<!\d\s)(?:[01]\d|2[0-3]|[1-9])[0-5]\d"
            r"(?![\d:/.]|[\s-]\d|\s?(?:st|nd|rd|th)\b)",
        ),
    )
]
# A bare number counts as a time after one of these words (optionally "at around 7").
TIME_LEAD = re.compile(
    r"(?:\b(?:at|around|about|after|before|till|until|by|say|maybe|approx(?:imately)?)\s+|@\s*)"
    r"(?:(?:around|about|roughly|like)\s+)?$",
    _FLAGS,
)
# "pm", "p.m." — a full stop after a plain "pm" ends the sentence and stays out.
MERIDIEM = re.compile(r"(\s?)(?<![a-z])([ap])(?:\.\s?m\b\.?|\s?m\b)", _FLAGS)
_ISH = re.compile(r"-?\s?ish\b", _FLAGS)
_PART_OF_DAY = re.compile(r"\s+(?:in\s+the\s+(morning|afternoon|evening)|at\s+(night))\b", _FLAGS)
_TONIGHT = re.compile(r"\s+tonight\b", _FLAGS)
_OCLOCK = re.compile(r"\s*o['\u2019]?\s?clock\b", _FLAGS)
_LEAD_PART = re.compile(r"\b(?:(?:night|evening)\s+(?:at|around)|tonight\s+at)\s+$", _FLAGS)
_NEGATED = re.compile(r"\b(?:not|instead\s+of)\s+(?:at\s+)?$", _FLAGS)
_FROM = re.compile(r"\bfrom\s+(?:at\s+)?$", _FLAGS)
_DIGITS = re.compile(r"\d+")
_RELATION = re.compile(r"\b(?:past|after|before|till|til|to|of)\s+")
_BEFORE_NOON = re.compile(r"\s+(?:noon|midnight)\b", _FLAGS)
_CLOCKLIKE = re.compile(r"\d{3}|\d[:.]\d")
_OF_BEFORE = re.compile(r"\bof\s+$", _FLAGS)
_RELATION_TRIGGER = re.compile(r"\b(?:past|after|before|till?|to|of)\s", _FLAGS)


def _ends_with(pattern: Pattern, text: str, position: int) -> bool:
    """Whether ``pattern`` (anchored with ``$``) matches just before ``position``."""
    return pattern.search(text, max(0, position - 40), position) is not None


def _scan(patterns: Sequence[tuple[Pattern | None, Pattern]], text: str) -> list[Span]:
    runs = [p for trigger, p in patterns if trigger is None or trigger.search(text)]
    return [match.span() for pattern in runs for match in pattern.finditer(text)]


def _hour_of(core: str) -> int | None:
    """The hour written in a time core ("7:30" → 7, "1930" → 19, "quarter to 8" → 8)."""
    lower = core.lower()
    if relation := _RELATION.search(lower):  # "quarter to 8": the hour follows the relation
        lower = lower[relation.end() :]
    if digits := _DIGITS.search(lower):
        number = digits.group()
        return int(number[:-2]) if len(number) >= 3 else int(number)
    words = [NUMBER_WORDS[w] for w in re.split(r"[\s-]+", lower) if w in NUMBER_WORDS]
    return words[0] if words else 12 if "noon" in lower or "mid" in lower else None


def _extend_time(text: str, name: str, start: int, end: int) -> tuple[int, int, bool]:
    """Grow a time core by the qualifiers annotators include; also say if one was found.

    Only qualifiers that make a bare number unmistakably a time count as found ("6ish",
    "8 o'clock", "7 in the evening"); "tonight" does not ("a party of 7 tonight").
    """
    core = text[start:end]
    rest = text[end:]
    hour = _hour_of(core)
    clocklike = name in ("clock", "relation") or bool(_CLOCKLIKE.search(core))
    meridiem = MERIDIEM.match(rest)
    if meridiem:
        spaced, letter = bool(meridiem.group(1)), meridiem.group(2).lower()
        # Lunch-hour clock readings ("11:30 am", "12:45 PM") are labelled without it.
        lunch = spaced and clocklike and (letter == "a" or hour == 12)
        if not lunch and (hour is None or hour <= 12):
            end += meridiem.end()
        return start, end, True
    qualified = False
    ish = _ISH.match(rest)
    part = _PART_OF_DAY.match(rest)
    if ish:
        qualified = True
        if not ish.group().startswith(" "):
            end += ish.end()
    elif _OCLOCK.match(rest):
        qualified = True
    elif part:
        qualified = True
        # "[11] in the morning" (lunch hours again) and "[7:30] at night" stay bare.
        morning = part.group(1) in ("morning", "afternoon")
        if not ((hour in (10, 11, 12) and morning) or (clocklike and part.group(2))):
            end += part.end()
    elif tonight := _TONIGHT.match(rest):
        end += tonight.end()
    lead = _LEAD_PART.search(text, max(0, start - 40), start)
    if lead:
        start, qualified = lead.start(), True
    return start, end, qualified


def _longest(candidates: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, preferring the longest (then the earliest)."""
    chosen: list[Span] = []
    for start, end in sorted(set(candidates), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


def _time_candidates(text: str, asked_time: bool, blocked: list[Span]) -> list[Span]:
    explicit: list[Span] = []
    answers: list[Span] = []  # bare numbers that are times only if time was asked
    for name, pattern in TIME_PATTERNS:
        if name == "relation" and not _RELATION_TRIGGER.search(text):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start and end <= e for s, e in blocked):
                continue  # inside a date ("Aug 15, 2018") or a duration ("in 6 days")
            if name == "bare" and (PEOPLE_AFTER.match(text, end) or _BEFORE_NOON.match(text, end)):
                continue
            start, end, qualified = _extend_time(text, name, start, end)
            if name != "bare" or qualified or _ends_with(TIME_LEAD, text, start):
                explicit.append((start, end))
            elif asked_time and not _ends_with(_OF_BEFORE, text, start):
                answers.append((start, end))
    # A number alongside a real time ("7pm for 4") is not a second time.
    return explicit or answers


def find_datetime_spans(text: str, requested_slots: Sequence[str] = ()) -> list[DateTimeSpan]:
    """Every date and time expression in ``text``, in order of position.

    ``requested_slots`` names what the system just asked for; when it includes "time", bare
    numbers ("13", "7 please") are read as times. Date and time spans may overlap when one
    phrase carries both ("in an hour" is both; "8 tonight" is a time containing a date).
    """
    both = _scan(BOTH_PATTERNS, text)
    dates = _longest(_scan(DATE_PATTERNS, text) + both)
    times = _longest(_time_candidates(text, "time" in requested_slots, dates) + both)
    # "not 6pm", "2pm instead of 3pm", "from 18:00 to 17:45": times being moved away from.
    if len(times) > 1:
        kept = [
            (s, e)
            for s, e in times
            if not _ends_with(_NEGATED, text, s)
            and ((s, e) == times[-1] or not _ends_with(_FROM, text, s))
        ]
        times = kept or times
    spans = [DateTimeSpan("date", s, e, text[s:e]) for s, e in dates]
    spans += [DateTimeSpan("time", s, e, text[s:e]) for s, e in times]
    return sorted(spans, key=lambda span: (span.start, span.kind))
