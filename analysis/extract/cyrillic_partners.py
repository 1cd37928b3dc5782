"""Partner, organisation and venue rules for Russian and Kazakh articles, read from
``analysis/data/lang/{ru,kk}/partners.toml``.

The decisions are the English ones (``partners.py``, ``location.py``); only the grammar
differs. Russian names the state after its official, in the genitive ("с Президентом
Франции"), and its adjective before the side ("французская сторона"); Kazakh names the
state first and its official after, possessed ("Францияның Сыртқы істер министрі"),
and says where with an ending ("Вашингтонда"). The rule names are the English ones, so
the evaluation report and the evidence read the same in every language.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.extract import phrases
from analysis.extract.doc import Text
from analysis.extract.model import Mention
from analysis.extract.patterns import MAX_SPAN

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "lang"
CYRILLIC_LANGUAGES = ("ru", "kk")
POSTED = "posted-to"
_STATELIKE = frozenset({"name", "alias", "demonym"})
_NAMED = frozenset({"name", "alias"})
_PLACE_KINDS = frozenset({"name", "alias", "capital", "city", "venue"})
# Words whose genitive may stand between an office and its state ("министр иностранных
# дел и внешней торговли Северной Македонии"): the shape of a genitive adjective or noun.
_GENITIVE_SHAPE = r"[а-яәғқңөұүһі-]+(?:ого|его|ых|их|ой|ей|ии|ства|ния|тия|ции|ки|ти|ды|ры)"
_GAP_WORDS = 6
_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"


@dataclass(frozen=True)
class PartnerRules:
    """One language's compiled patterns (see the rule files for what each one means)."""

    official_before: re.Pattern[str]
    office_gap: re.Pattern[str]  # only the words of an office's field (or nothing)
    side_after: re.Pattern[str]
    not_state_after: re.Pattern[str]
    talks_before: re.Pattern[str]
    participants_before: re.Pattern[str]
    compound_left: tuple[str, ...]
    compound_right: re.Pattern[str]
    posted_before: re.Pattern[str]
    posted_after: re.Pattern[str]
    not_partner_before: re.Pattern[str]
    list_separator: re.Pattern[str]
    venue_before: re.Pattern[str]
    not_venue_before: re.Pattern[str]
    envoy_before: re.Pattern[str]
    venue_endings: tuple[str, ...]
    venue_after: re.Pattern[str]
    remote: re.Pattern[str]
    organ_before: re.Pattern[str]
    organ_after: re.Pattern[str]
    engage: re.Pattern[str]
    plan: re.Pattern[str]
    org_veto_before: re.Pattern[str]
    org_veto_after: re.Pattern[str]


def _gap(words: list[str]) -> str:
    """Up to six words of an office's field between the office and the state."""
    listed = "|".join(re.escape(w) for w in words)
    word = f"(?:{listed}|{_GENITIVE_SHAPE})" if listed else _GENITIVE_SHAPE
    return rf"(?:\s+{word}){{0,{_GAP_WORDS}}}"


def compile_rules(data: dict[str, Any]) -> PartnerRules:
    """A language's rule file (as parsed TOML) compiled once."""
    p, loc, org = data["partners"], data["location"], data["organisations"]
    separators = "|".join(re.escape(s) for s in sorted(p["list_separators"], key=len, reverse=True))
    return PartnerRules(
        official_before=phrases.ending_with(p["official_before"], _gap(p["office_gap"])),
        office_gap=re.compile(rf"{_gap(p['office_gap'])}\s*$"),  # used with match(pos)
        side_after=phrases.starting_with(p["side_after"]),
        not_state_after=phrases.starting_with(p["not_state_after"]),
        talks_before=phrases.ending_with(p["talks_before"]),
        participants_before=phrases.ending_with(p["participants_before"], r"[:,]?"),
        compound_left=tuple(p["compound_left"]),
        compound_right=phrases.starting_with(p["compound_right"]),
        posted_before=phrases.ending_with(p.get("posted_before", [])),
        posted_after=phrases.starting_with(p.get("posted_after", [])),
        not_partner_before=phrases.ending_with(p["not_partner_before"], r"(?:\s+\S+){0,3}"),
        # a list may name each state's official between the items: "министрами иностранных
        # дел Азербайджана Джейхуном Байрамовым, Кыргызстана ..."
        list_separator=re.compile(rf"^(?:\s*[{_UPPER}][\w-]+){{0,3}}\s*(?i:{separators})\s*$"),
        venue_before=phrases.ending_with(loc["venue_before"]),
        not_venue_before=phrases.ending_with(loc["not_venue_before"]),
        envoy_before=phrases.ending_with(loc["envoy_before"], r"(?:в|во)"),
        venue_endings=tuple(loc.get("venue_endings", ())),
        venue_after=phrases.starting_with(loc.get("venue_after", [])),
        remote=phrases.anywhere(loc["remote"]),
        organ_before=phrases.ending_with(org["organ_before"], _gap([])),
        organ_after=phrases.starting_with(org["organ_after"]),
        engage=phrases.anywhere(org["engage"]),
        plan=phrases.anywhere(org["plan"]),
        org_veto_before=phrases.ending_with(org["veto_before"]),
        org_veto_after=phrases.starting_with(org["veto_after"]),
    )


@functools.cache
def rules_for(lang: str) -> PartnerRules:
    """The compiled partner rules of ``lang`` (``ru`` or ``kk``)."""
    with (RULES_DIR / lang / "partners.toml").open("rb") as handle:
        return compile_rules(tomllib.load(handle))


def _around(doc: Text, m: Mention) -> tuple[str, str]:
    left, right = doc.around(m)
    return phrases.lower(left), phrases.lower(right)


def rule_for(rules: PartnerRules, doc: Text, m: Mention, settled: bool = False) -> str | None:
    """The partner rule that fires for one state mention, or None (``partners._rule_for``
    in this language's grammar)."""
    left, right = _around(doc, m)
    statelike = m.kind in _STATELIKE
    if statelike and rules.not_state_after.match(right):
        return None
    if rules.not_partner_before.search(left):
        return None
    # Posted-to is judged first, in a title too: "Посол Казахстана в Италии ..." names where
    # the envoy serves; Italy is a partner only by another mention ("министром Италии").
    if rules.posted_before.search(left) or (
        _ends_locative(rules, m) and rules.posted_after.match(right.lstrip("-"))
    ):
        return POSTED
    if doc.where == "title" and statelike:
        return "title"
    if m.kind == "leader":
        return "leader"
    if settled:
        return None
    if m.kind != "demonym" and rules.official_before.search(left):
        return "official-of"
    if statelike and rules.side_after.match(right):
        return "official-after"
    if m.kind in _NAMED and rules.talks_before.search(left):
        return "talks-with"
    if left.rstrip().endswith(rules.compound_left) or rules.compound_right.match(right):
        return "kazakh-compound"
    if m.kind in _NAMED and rules.participants_before.search(left[-60:]):
        return "participants"
    return None


def _ends_locative(rules: PartnerRules, m: Mention) -> bool:
    """A Kazakh place with a locative ending ("Италиядағы"), or an abbreviation whose
    ending follows a hyphen ("АҚШ-тағы", read from the words after it)."""
    return not rules.venue_endings or m.surface.lower().endswith(rules.venue_endings)


def listed(rules: PartnerRules, gap: str) -> bool:
    """Whether the text between two mentions joins them in one list ("Казахстана и России")."""
    return rules.list_separator.match(gap.replace("ё", "е")) is not None


# --------------------------------------------------------------------------- venue


def venue(
    rules: PartnerRules, doc: Text, mentions: list[Mention], limit: int
) -> tuple[Mention, str] | None:
    """The first place in ``doc[:limit]`` that the grammar presents as the venue, with
    its rule (``location._venue`` in this language). A venue stands near the start: no
    more than :data:`MAX_SPAN` characters are read, however long a run without a
    sentence end (a hostile 1 MB title took 1.7 s here)."""
    limit = min(limit, MAX_SPAN)
    for m in mentions:
        if m.start >= limit:
            break
        if m.kind not in _PLACE_KINDS:
            continue
        left, right = _around(doc, m)
        if rules.not_venue_before.search(left):
            continue
        if (
            m.kind in _NAMED
            and rules.envoy_before.search(left)
            and not rules.posted_before.search(left)
        ):
            continue
        if rules.venue_before.search(left) or _kazakh_venue(rules, m, right):
            return m, "mission" if rules.posted_before.search(left) else "venue"
    return None


def _kazakh_venue(rules: PartnerRules, m: Mention, right: str) -> bool:
    """Kazakh: "Вашингтонда" (in Washington), "Женева қаласында" (in the city of Geneva),
    "Қазақстанға сапар" (a visit to Kazakhstan)."""
    if not rules.venue_endings:
        return False
    surface = m.surface.lower()
    return surface.endswith(rules.venue_endings) or bool(rules.venue_after.match(right))


def remote_words(rules: PartnerRules, title: Text, text: Text) -> bool:
    """The title or the lead's first sentence tells of a call, a message or a
    videoconference: it happened nowhere."""
    lead = text.text[: text.sentences_end(1)]
    return any(rules.remote.search(phrases.lower(part)) for part in (title.text, lead))


# --------------------------------------------------------------------------- organisations


def org_rule(rules: PartnerRules, doc: Text, m: Mention, lead_sentences: int = 2) -> str | None:
    """``partners._org_rule`` in this language: named in the title, or an organ or meeting
    of the organisation in a sentence that reports this event."""
    left, right = _around(doc, m)
    if rules.org_veto_before.search(left) or rules.org_veto_after.match(right):
        return None
    if doc.where == "title":
        return "title"
    if not (rules.organ_before.search(left) or rules.organ_after.match(right)):
        return None
    start, end = doc.sentence_span(m.start)
    sentence = phrases.lower(doc.text[start:end])
    if rules.plan.search(sentence):
        return None
    if m.start < doc.sentences_end(lead_sentences):
        return "org-lead"
    return "org-engaged" if rules.engage.search(sentence) else None
