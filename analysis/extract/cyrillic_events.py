"""event_type and kz_actor_level of Russian and Kazakh articles, from
``analysis/data/lang/{ru,kk}/events.toml``.

The decisions are the English ones (``events.py``, spec §2): the type is what the title
reports, else the lead; the actor is the most senior Kazakh participant. What differs is
how an office says whose it is. Russian puts the state after the office, in the genitive
("Президент Франции", "министр иностранных дел Казахстана"), and the counterpart's office
after "с" ("встретился с послом"); Kazakh puts the state before it ("Қазақстанның
Италиядағы елшісі", "Франция Президенті") and the counterpart's office in the
instrumental ("Президентімен кездесті").
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from analysis.extract import cyrillic_partners, phrases
from analysis.extract.doc import Text
from analysis.extract.model import Evidence, Mention
from analysis.extract.patterns import MAX_SPAN
from analysis.vocabulary import SENIORITY

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "lang"
LEAD_SENTENCES = 2  # the lead, for the event type
ACTOR_SENTENCES = 3  # where participants are looked for
_NEAR = 40  # characters between an office and the state that qualifies it
NAMES_READ = 1500  # how far the offices written before officials' names are looked for
_CLAUSE_END = re.compile(r"[,;:()«»\"]|\s[-—–]\s|\.(?:\s|$)")
_PRIORITY = ("phone_call", "credentials")  # anywhere in the title, they decide
_KAZAKH = "KAZ"
_STATE_KINDS = frozenset({"name", "alias", "capital"})


class _Cue(NamedTuple):
    start: int
    end: int
    value: str  # event type or actor level
    strong: bool = True
    policy: str = "default"


@dataclass(frozen=True)
class EventRules:
    """One language's compiled cues, offices and markers."""

    cues: list[tuple[re.Pattern[str], str, bool]]
    demote: re.Pattern[str]
    roles: list[tuple[re.Pattern[str], str, str]]
    names: list[tuple[re.Pattern[str], str]]
    kazakh_after: re.Pattern[str] | None
    kazakh_before: re.Pattern[str] | None
    counterpart_before: re.Pattern[str] | None
    counterpart_endings: tuple[str, ...]
    not_participant: re.Pattern[str]


def compile_rules(data: dict[str, Any]) -> EventRules:
    """A language's rule file (as parsed TOML) compiled once."""
    ev, ac = data["event_type"], data["actor_level"]
    # one pattern per type and strength: a dozen scans of a title, not a hundred
    cues = [
        (phrases.anywhere(listed), etype, strength == "strong")
        for strength in ("strong", "weak")
        for etype, listed in ev[strength].items()
        if listed
    ]
    roles = [(phrases.anywhere(r["phrases"]), r["level"], r["policy"]) for r in ac["role"]]
    names = [(phrases.anywhere(n["names"]), n["level"]) for n in ac["name"]]
    mk = ac["markers"]

    def optional(key: str, make: Any) -> re.Pattern[str] | None:
        return make(mk[key]) if mk.get(key) else None

    return EventRules(
        cues=cues,
        demote=phrases.anywhere(ev["demote"]),
        roles=roles,
        names=names,
        kazakh_after=optional("kazakh_after", phrases.starting_with),
        kazakh_before=optional(
            "kazakh_before", lambda p: phrases.ending_with(p, r"(?:\s+\S+){0,2}")
        ),
        counterpart_before=optional(
            "counterpart_before", lambda p: phrases.ending_with(p, r"(?:\s+\S+){0,1}")
        ),
        counterpart_endings=tuple(mk.get("counterpart_endings", ())),
        not_participant=phrases.anywhere(mk["not_participant"]),
    )


@functools.cache
def rules_for(lang: str) -> EventRules:
    """The compiled event rules of ``lang`` (``ru`` or ``kk``)."""
    with (RULES_DIR / lang / "events.toml").open("rb") as handle:
        return compile_rules(tomllib.load(handle))


# --------------------------------------------------------------------------- helpers


def _leftmost_longest(found: list[_Cue]) -> list[_Cue]:
    out: list[_Cue] = []
    for cue in sorted(found, key=lambda c: (c.start, -c.end)):
        if not out or cue.start >= out[-1].end:
            out.append(cue)
    return out


# A demoted phrase's words: at most four, and never a finite verb (Russian past and
# present endings), which starts the main clause: "После переназначения | встретился".
_VERB = r"[^\s,;:.()«»\"]+(?:л|ла|ло|ли|лся|лась|лись|ет|ит|ут|ют|ят|ется|ится|ются|ятся)"
_PHRASE_WORDS = re.compile(rf"(?:\s+(?!{_VERB}(?![\w-]))[^\s,;:.()«»\"]+){{1,4}}")


def _spans(pattern: re.Pattern[str], low: str, start: int, end: int) -> list[tuple[int, int]]:
    """Phrases that run from a trigger to the end of its clause, four words at most:
    Russian sets no comma after "В ходе визита в Рим", before the main verb."""
    out = []
    for m in pattern.finditer(low, start, end):
        close = _CLAUSE_END.search(low, m.end(), end)
        stop = close.start() if close else end
        words = _PHRASE_WORDS.match(low, m.end(), stop)
        out.append((m.start(), words.end() if words else stop))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


# --------------------------------------------------------------------------- event type


def _event_cues(rules: EventRules, low: str, start: int, end: int) -> list[_Cue]:
    """The cues of a title or lead, read for at most :data:`MAX_SPAN` characters."""
    end = min(end, start + MAX_SPAN)
    found = [
        _Cue(m.start(), m.end(), etype, strong)
        for pattern, etype, strong in rules.cues
        for m in pattern.finditer(low, start, end)
    ]
    return _leftmost_longest(found)


def _choose(rules: EventRules, low: str, start: int, end: int) -> tuple[_Cue | None, bool]:
    """The cue that names this span's event, and whether it is strong."""
    cues = _event_cues(rules, low, start, end)
    if not cues:
        return None, False
    for kind in _PRIORITY:
        hit = next((c for c in cues if c.value == kind), None)
        if hit:
            return hit, True
    demoted = _spans(rules.demote, low, start, end)
    strong = [c for c in cues if c.strong and not _inside(c.start, demoted)]
    if strong:
        summit = next((c for c in strong if c.value == "conference"), None)
        first = strong[0]
        return (summit if first.value == "signing" and summit else first), True
    weak = [c for c in cues if not c.strong and not _inside(c.start, demoted)]
    if weak:
        return weak[0], False
    # only cues inside demoted phrases ("в ходе переговоров ... заявил"): the first says
    # more than nothing, but any other span's strong cue wins over it
    return cues[0], False


def event_type(rules: EventRules, title: Text, body: Text) -> tuple[str, list[Evidence]]:
    """The event type the title reports, else the lead's; ``other`` when nothing says."""
    tlow = phrases.lower(title.text)
    cue, strong = _choose(rules, tlow, 0, len(tlow))
    where, doc = "title", title
    if not strong:
        blow = phrases.lower(body.text)
        lead_start = _lead_start(body)
        lead_end = _lead_end(body, lead_start, LEAD_SENTENCES)
        lead_cue, lead_strong = _choose(rules, blow, lead_start, lead_end)
        if lead_cue and (lead_strong or cue is None):
            cue, where, doc = lead_cue, "text", body
    if cue is None:
        return "other", [Evidence("event_type", "other", "", 0, 0, "title", "no-cue")]
    surface = doc.text[cue.start : cue.end]
    return cue.value, [Evidence("event_type", cue.value, surface, cue.start, cue.end, where, "cue")]


# Agency datelines of Russian and Kazakh pages: "АСТАНА, 11 ноября. /ТАСС/. ", "НУР-СУЛТАН,
# 10 мар — Sputnik. ", "Астана. 23 февраля. KAZAKHSTAN TODAY - ", "Алматы. 6 ноября. Центр
# информации - ". Possessive quantifiers keep the search linear on hostile text.
_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
CYRILLIC_DATELINE_RE = re.compile(
    rf"\s*[{_UPPER}][{_UPPER}а-яёәғқңөұүһі-]{{1,25}}+(?:\s[{_UPPER}][{_UPPER}-]{{1,25}}+)?[.,]\s+"
    r"\d{1,2}\s[а-яәғқңөұүһі]{3,10}+\.?(?:\s\d{4}(?:\sг(?:ода|\.)?)?)?[.,]?\s+"
    r"(?:/?[A-ZА-ЯЁ][\w ]{1,25}?/?\.?\s*(?:[—–-]\s*)?|[—–-]\s*[A-Za-zА-Яа-яЁё ]{1,25}?\.\s*)?"
)


def dateline_span(body: Text) -> tuple[int, int] | None:
    """The agency dateline opening a Russian or Kazakh body, if any."""
    m = CYRILLIC_DATELINE_RE.match(body.text)
    return (m.start(), m.end()) if m else None


def dateline_end(body: Text) -> int:
    """Where a Russian or Kazakh body's agency dateline ends (0 when it has none)."""
    span = dateline_span(body)
    return span[1] if span else 0


def _lead_start(body: Text) -> int:
    """Where the body's lead starts: after its dateline, if any."""
    return dateline_end(body)


def _lead_end(body: Text, start: int, sentences: int) -> int:
    """The end of ``sentences`` sentences from ``start``."""
    starts = [s for s in body.starts if s > start]
    return starts[sentences - 1] if len(starts) >= sentences else len(body.text)


# --------------------------------------------------------------------------- actor level


def _whose(
    rules: EventRules, doc: Text, low: str, cue: _Cue, states: list[Mention], lang: str
) -> str | None:
    """``KAZ``, a foreign ISO3, or None: the state an office is qualified by. Russian:
    the state right after the office, with only the words of its field between
    ("министр иностранных дел Италии"), or an adjective right before ("итальянский
    министр"). Kazakh: the state right before ("Италия Президенті", "Италияның елшісі";
    not "Италиядағы елшісі", the envoy posted there)."""
    gap = cyrillic_partners.rules_for(lang).office_gap
    if lang == "ru":
        after = next((m for m in states if 0 <= m.start - cue.end <= _NEAR), None)
        if after and after.kind != "demonym" and gap.match(low, cue.end, after.start):
            return after.key
        if rules.kazakh_after and rules.kazakh_after.match(low, cue.end):
            return _KAZAKH
    before = next((m for m in reversed(states) if 0 <= cue.start - m.end <= _NEAR), None)
    if before and _adjacent(low, before.end, cue.start):
        posted = before.surface.lower().endswith(("дағы", "дегі", "тағы", "тегі"))
        if (lang == "ru" and before.kind == "demonym") or (lang == "kk" and not posted):
            return before.key
    if rules.kazakh_before:
        near = low[max(0, cue.start - _NEAR) : cue.start]
        if rules.kazakh_before.search(near):
            return _KAZAKH
    return None


def _adjacent(low: str, start: int, end: int) -> bool:
    """At most one word between two places, and nothing that ends a phrase."""
    between = low[start:end]
    return len(between.split()) <= 1 and _CLAUSE_END.search(between) is None


def _name_after(rules: EventRules, low: str, end: int) -> str | None:
    """A Kazakh official's surname within four words after an office."""
    window = low[end : end + 45]
    for pattern, level in rules.names:
        if pattern.search(window):
            return level
    return None


def _counterpart(rules: EventRules, low: str, cue: _Cue, lang: str) -> bool:
    """The office is the other side's: "встретился с послом", "Президентімен кездесті"."""
    if lang == "kk":
        return low[cue.start : cue.end].endswith(rules.counterpart_endings)
    near = low[max(0, cue.start - 30) : cue.start]
    return bool(rules.counterpart_before and rules.counterpart_before.search(near))


def _kazakh_office(
    rules: EventRules, doc: Text, low: str, cue: _Cue, states: list[Mention], lang: str
) -> bool:
    """Kazakhstan's office: marked as Kazakh, followed by a Kazakh official's name, or
    (a ``default`` office) unmarked and not in the counterpart's place."""
    whose = _whose(rules, doc, low, cue, states, lang)
    if whose is not None:
        return whose == _KAZAKH
    if _name_after(rules, low, cue.end):
        return True
    return cue.policy == "default" and not _counterpart(rules, low, cue, lang)


def _participants(
    rules: EventRules,
    doc: Text,
    states: list[Mention],
    lang: str,
    end: int,
    offices_of: dict[str, str],
) -> list[_Cue]:
    """Offices and surnames of Kazakh participants in ``doc[:end]``, read for at most
    :data:`MAX_SPAN` characters (the lead of a real article is shorter)."""
    end = min(end, MAX_SPAN)
    low = phrases.lower(doc.text[:end])
    quoted = _spans(rules.not_participant, low, 0, end)
    found = [
        _Cue(m.start(), m.end(), level, True, policy)
        for pattern, level, policy in rules.roles
        for m in pattern.finditer(low, 0, end)
    ]
    offices = _leftmost_longest(found)
    out = []
    for cue in offices:
        if cue.policy == "never" or _inside(cue.start, quoted):
            continue
        if _kazakh_office(rules, doc, low, cue, states, lang):
            out.append(cue)
    quoted_names = [(c.start, c.end + 45) for c in offices]
    for pattern, level in rules.names:
        for m in pattern.finditer(low, 0, end):
            if not _inside(m.start(), quoted_names) and not _inside(m.start(), quoted):
                out.append(_Cue(m.start(), m.end(), offices_of.get(m.group(), level)))
    return out


def _offices_of_names(rules: EventRules, doc: Text) -> dict[str, str]:
    """Surname → the office written right before it somewhere in ``doc`` ("Первый
    президент Нурсултан Назарбаев" → other): it wins over the name's usual office."""
    low = phrases.lower(doc.text[:NAMES_READ])
    found = _leftmost_longest(
        [
            _Cue(m.start(), m.end(), level, True, policy)
            for pattern, level, policy in rules.roles
            for m in pattern.finditer(low)
        ]
    )
    out: dict[str, str] = {}
    for cue in found:
        window = low[cue.end : cue.end + 45]
        for pattern, _ in rules.names:
            m = pattern.search(window)
            if m and cue.policy != "never":
                out.setdefault(m.group(), cue.value)
    return out


def actor_level(
    rules: EventRules,
    lang: str,
    title: tuple[Text, list[Mention]],
    body: tuple[Text, list[Mention]],
) -> tuple[str, list[Evidence]]:
    """The most senior Kazakh participant the title names, else the first sentences:
    a title reports the news, the body's first lines often its background ("the
    government resigned; the President appointed ...")."""
    offices_of = _offices_of_names(rules, body[0]) | _offices_of_names(rules, title[0])
    for doc, states in (title, body):
        start = 0 if doc.where == "title" else _lead_start(doc)
        end = len(doc.text) if doc.where == "title" else _lead_end(doc, start, ACTOR_SENTENCES)
        found = _participants(rules, doc, states, lang, end, offices_of)
        if found:
            cue = min(found, key=lambda c: SENIORITY[c.value])
            surface = doc.text[cue.start : cue.end]
            return cue.value, [
                Evidence(
                    "kz_actor_level", cue.value, surface, cue.start, cue.end, doc.where, "office"
                )
            ]
    return "other", [Evidence("kz_actor_level", "other", "", 0, 0, "title", "no-actor")]
