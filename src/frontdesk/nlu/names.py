"""Person names from self-introductions ("my name is Dana Ortiz", "Thanks, Dana").

There is no name model here on purpose: customers introduce themselves in a handful of
fixed ways, and a trigger phrase followed by a few name-shaped words finds those with
almost no false positives, as long as the words that commonly follow "I'm" or "this is"
("looking", "sorry", "urgent") are ruled out. That is what ``_STOPWORDS`` is for.

Two triggers are strong enough to accept lower-case names in any message ("my name is",
"name:"); the weak ones ("I'm", "this is", "it's", "call me", "... here", signatures) only
accept lower-case names when the whole message is written in lower case, because in a
properly cased message a real name would be capitalised.
"""

from __future__ import annotations

import re

__all__ = ["find_person_name"]

_MAX_TOKENS = 4

# Words that end a name or show that a trigger was not an introduction at all: function
# words, then what commonly follows "I'm"/"this is"/"it's" (adjectives, participles,
# places), then titles, days and months. Lower case; typographic apostrophes are
# normalised to "'" before lookup. Kept as text, not a list literal, to stay readable.
_STOPWORD_TEXT = """
    i me my mine myself you your yours he him his she her it its we us our they them their
    this that these those a an the some any no not none all both each every one someone
    somebody anyone anybody everyone everybody nobody nothing something here there i'm im
    i've i'd i'll it's you're we're they're that's there's what's don't can't am is are was
    were be been being have has had do does did done can could will would shall should may
    might must need needs want wants wanted get got gets going gonna wanna gotta let just
    still also so very really quite too already always never now then again back only even
    actually currently totally extremely pretty kinda sorta literally definitely probably
    maybe sure afraid almost nearly and or but nor for from at in on of to with without by
    as if because since when while after before until into onto over under about around
    regarding re via near than like between during per within across upon who whom whose
    what why how which where whenever wherever hi hello hey dear please thanks thank thx ty
    ok okay yes yeah yep yup no nope sorry bye goodbye cheers regards best welcome morning
    afternoon evening night today tomorrow tonight yesterday week weekend month year soon
    later asap urgently immediately anytime sometime once first instead directly right
    straight happy unhappy sad glad good great fine well sick ill busy free available
    unavailable interested disappointed frustrated annoyed angry upset confused worried
    concerned pleased excited tired late early new old unsure certain aware unaware able
    unable ready finished stuck lost home away out off outside inside nearby close local
    based located allergic pregnant married single disabled vegan vegetarian diabetic
    existing regular returning member customer client patient guest owner manager grateful
    thankful satisfied dissatisfied furious livid fuming outraged shocked surprised amazed
    impressed appalled disgusted serious curious desperate keen eager hungry cold hot fed
    bored scared nervous anxious stressed embarrassed sure calling call writing texting
    emailing messaging wondering looking hoping trying planning thinking asking following
    checking reaching contacting booking cancelling canceling coming going leaving waiting
    having getting doing using moving visiting staying running still urgent ridiculous
    unacceptable terrible awful horrible amazing important crazy insane absurd outrageous
    annoying frustrating disappointing exactly perfect bad wrong correct incorrect true
    false weird strange odd confusing broken working closed open expensive cheap raining
    fixed resolved over enough booked supposed meant due told called paid charged registered
    covered referred en route way downstairs upstairs next door mate team management staff
    guys folks mr mrs ms miss dr prof sir madam maam mam monday tuesday wednesday thursday
    friday saturday sunday mon tue tues wed thu thur thurs fri sat sun january february
    march april june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec much many btw lol pls plz u ur ya yo hmm cool k kk nah nvm idk
    dunk de del la el los las un una y o que qué con sin para por en mi tu su muy aqui aquí
    cliente nuevo nueva paciente vale dale gracias hola buenas sí si no bueno tengo quiero
    phone number mobile email mail deposit payment address contact bet sound grand lovely
    celíaca celiaca celíaco celiaco vegana vegano alérgico alérgica alergico alergica
    estudiante nuevo nueva cliente paciente embarazada jubilado jubilada socio socia
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Lower-case name particles kept inside a name ("Ludwig van Beethoven") but never first.
_PARTICLE_TEXT = "van von der den de da di du del della le la al bin ibn dos das"
_PARTICLES = frozenset(_PARTICLE_TEXT.split())
# Honorifics are skipped, not returned: staff want the person's name, not "Mrs".
_TITLES = re.compile(r"(?i)(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+")

# A name-shaped word: letters with inner hyphens/apostrophes ("O'Brien", "Jean-Luc").
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# Characters after a word that mean it belongs to an email, a handle or a number.
_GLUED = re.compile(r"[@\d_]|\.[^\W\d_]")

_WORD = re.compile(r"[^\W\d_][\w'\u2019]*")
_PRONOUN_I = re.compile(r"I(?:['\u2019](?:m|d|ll|ve))?")

_GREETING = r"(?:(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening))(?:\s+there)?[\s,!.]*)?"
_WORDS = r"[^\W\d_][\w'\u2019-]*(?:[ \t]+[^\W\d_][\w'\u2019-]*){0,3}"

# (pattern, strong): the name starts where the match ends.
_TRIGGERS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"(?i)\b(?:my|the)\s+name\s*(?:is|'s|\u2019s)\s+"), True),
    (re.compile(r"(?i)(?:^|[.!?,]\s*|\b(?:ok|okay|sure)\s+)name\s*(?:is|'s|\u2019s)\s+"), True),
    (
        re.compile(
            r"(?i)\b(?:(?:put|book|save|hold|reserve|keep)\s+(?:it|them|one|that)\s+under|"
            r"(?:in|under)\s+the\s+name(?:\s+of)?)\s+"
        ),
        True,
    ),
    (re.compile(r"(?i)\b(?:me\s+llamo|mi\s+nombre\s+es|a\s+nombre\s+de)\s+"), True),
    (re.compile(r"(?i)(?:^|[.!?,]\s*|\b(?:hola|buenas|vale|ok)[\s,!]+)soy\s+"), False),
    (re.compile(r"(?im)(?:^|[.!?,]\s*)name\s*:\s*"), True),
    (re.compile(r"(?i)\b(?:i\s*['\u2019]?\s*m|i\s+am)\s+"), False),
    (re.compile(r"(?i)\bthis\s+is\s+"), False),
    (
        re.compile(r"(?i)(?:^|[.!?,]\s*|\b(?:hi|hello|hey)\s+)(?:it\s*['\u2019]?\s*s|it\s+is)\s+"),
        False,
    ),
    (re.compile(r"(?i)\b(?:call\s+me|i\s+go\s+by)\s+"), False),
)
# "Dana Ortiz here" only at the very start (after an optional greeting): elsewhere
# "... here" is far more often a place than a name.
_HERE = re.compile(rf"(?i)^\s*{_GREETING}(?P<name>{_WORDS})[ \t]+here\b(?![ \t]+(?:is|are)\b)")
# Sign-offs at the very end; a comma or line break is required so "thanks Dana" addressed
# to a staff member named Dana is not taken as the customer's own name.
_SIGNATURE = re.compile(
    r"(?im)(?:\b(?:thanks|thank\s+you|thx|cheers|regards|best|sincerely|best\s+wishes|"
    r"many\s+thanks|kind\s+regards|best\s+regards|warm\s+regards|yours\s+sincerely)\s*"
    r"[,!.]*\s*[\n,]|^[ \t]*[-\u2013\u2014~]+)[ \t]*"
    rf"(?P<name>{_WORDS})[ \t]*[.!]*\s*\Z"
)

# A name given beside a phone number or email with no introduction ("can someone ring me
# back, sam nguyen 0491 570 156"; "0412 555 019 - Tom Baker"): a run that starts the
# message or follows a comma, and is followed by the contact (or ends the message after it).
_CONTACT = r"(?:\+?\(?\d[\d \t().-]{6,}\d|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_BEFORE_CONTACT = re.compile(
    rf"(?:^|[,;:]\s*)(?P<name>{_WORDS})[ \t]*[,-]?[ \t]+(?={_CONTACT})", re.IGNORECASE
)
_AFTER_CONTACT = re.compile(
    rf"{_CONTACT}[ \t]*[,;-][ \t]*(?P<name>{_WORDS})[ \t]*[.!]*\s*\Z", re.IGNORECASE
)


def _is_lowercase_message(text: str) -> bool:
    """True when nothing but sentence starts and the pronoun "I" is capitalised.

    In such messages ("hi im dana, can i book") capitalisation carries no signal, so weak
    triggers fall back on the stopword list alone.
    """
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or _PRONOUN_I.fullmatch(word):
            continue
        i = match.start() - 1
        while i >= 0 and text[i] in " \t\"'(":
            i -= 1
        if i >= 0 and text[i] not in ".!?\n":
            return False
    return True


def _stops_name(word: str, *, need_capital: bool) -> bool:
    lower = word.lower().replace("\u2019", "'")
    if lower in _STOPWORDS:
        return True
    if word[0].isupper():
        return False
    if need_capital:
        return True
    # Lower-case participles ("trying", "scheduled") are never names. Names with these
    # endings are short ("Ying", "Fred") or end in -med/-red ("Ahmed", "Mildred").
    if len(lower) >= 6 and lower.endswith("ing"):
        return True
    return len(lower) >= 7 and lower.endswith("ed") and not lower.endswith(("med", "red"))


def _scan(text: str, pos: int, *, need_capital: bool) -> tuple[int, int] | None:
    """Span of 1-4 name tokens starting at ``pos``, or None if the first is not a name."""
    title = _TITLES.match(text, pos)
    if title:
        pos = title.end()
    start = end = -1
    count = 0
    while count < _MAX_TOKENS:
        token = _TOKEN.match(text, pos)
        if token is None or _GLUED.match(text, token.end()):
            break
        word = token.group()
        particle = count > 0 and word in _PARTICLES
        if not particle and _stops_name(word, need_capital=need_capital):
            break
        if word[-2:] in ("'s", "\u2019s"):
            # "I'm Dana's mum": the speaker is not Dana, so this is no introduction.
            return None
        if count == 0:
            start = token.start()
        if not particle:
            end = token.end()
        count += 1
        # Only a run of spaces joins tokens: punctuation or a line break ends the name.
        gap = re.match(r"[ \t]+", text[token.end() :])
        if gap is None:
            break
        pos = token.end() + gap.end()
    if start < 0 or end < 0:
        return None
    return start, end


def _title_case(name: str) -> str:
    """Capitalise words typed in one case; keep mixed case the customer chose ("McKay")."""
    words: list[str] = []
    for word in name.split():
        if word in _PARTICLES and words:
            words.append(word)
        elif word.islower() or word.isupper():
            words.append(re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word.lower()))
        else:
            words.append(word)
    return " ".join(words)


def _result(text: str, span: tuple[int, int]) -> tuple[str, int, int]:
    start, end = span
    return _title_case(text[start:end]), start, end


def is_plausible_name(name: str) -> bool:
    """Whether ``name`` can be a person's name: one to four words, none of them a common
    word ("ok", "how much", "phone", "deposit"), and not a lone initial."""
    words = [w.lower().replace("\u2019", "'") for w in _TOKEN.findall(name)]
    if not 1 <= len(words) <= _MAX_TOKENS or len(name.strip()) < 2:
        return False
    return not any(w in _STOPWORDS for w in words if w not in _PARTICLES)


def find_person_name(text: str) -> tuple[str, int, int] | None:
    """The customer's own name as ``(Title Cased Name, start, end)``, or None.

    ``start``/``end`` index the name as typed in ``text``. Triggers are tried strongest
    first, so "my name is Daniel, call me Dan" gives "Daniel".
    """
    if not text or not any(ch.isalpha() for ch in text):
        return None
    need_capital = not _is_lowercase_message(text)
    for pattern, strong in _TRIGGERS:
        for match in pattern.finditer(text):
            span = _scan(text, match.end(), need_capital=need_capital and not strong)
            if span is not None:
                return _result(text, span)
    for pattern in (_HERE, _SIGNATURE, _BEFORE_CONTACT, _AFTER_CONTACT):
        found = pattern.search(text)
        if found is None:
            continue
        span = _scan(text, found.start("name"), need_capital=need_capital)
        # The whole captured run must be a name: "Anyone here" or "Thanks, see you then"
        # stop early and are rejected rather than trimmed.
        if span is not None and span[1] == found.end("name"):
            return _result(text, span)
    return None
