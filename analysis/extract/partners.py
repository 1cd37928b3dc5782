"""Partner vs mention (spec §2): which named states and organisations Kazakhstan engaged.

A name in the text is only a candidate. It becomes a partner when the words around
it say that its officials, institutions or public took part: "President of X",
"the X side", "Ethiopian Prime Minister", "Kazakh-Saudi", "talks with X", "X media", a
name in the title. Everything else — venues, company origins, organisation names, "the
situation in X", the posting of a Kazakh ambassador to X — stays a mention. The
patterns below are language rules, compiled once; they never name a particular article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from analysis.extract import patterns
from analysis.extract.doc import Text
from analysis.extract.model import Evidence, Mention

HOME = "KAZ"

# Nouns for people and bodies that act for a state.
_OFFICIAL = (
    r"(?:vice[- ])?presidents?|prime ministers?|premiers?|pm"
    r"|(?:deputy |vice )?(?:foreign )?ministers?"
    r"|minister of [a-z ,]+?|secretary of state|state secretary|chancellor|kings?|queen|emir"
    r"|crown prince|sultan|(?:deputy )?speaker|(?:deputy )?chair(?:man|woman|person)?|heads?"
    r"|leaders?|ambassadors?|envoys?|charg[ée] d'affaires|consuls?(?: general)?|delegations?"
    r"|representatives?|parliament|parliamentarians|government|ministry|senate|senators?"
    r"|national assembly|members?|mps?|officials?|counterparts?|governor|mayor|cabinet"
    r"|secretary[- ]general|directors?(?:[- ]general)?|heads? of (?:state|government)"
    r"|authorities|people|nations|diplomats?|observers?|guests?|participants"
    r"|ministr(?:y|ies)|administrations?|agenc(?:y|ies)|departments?|offices?"
)
# "<official> of (the) X" — possibly "of the Republic of" absorbed by the gazetteer.
_OF_RE = re.compile(rf"\b(?:{_OFFICIAL})(?: [a-z'’-]+){{0,4}} of (?:the )?$")
# No longer in office, so no longer acting for the state: "former Secretary of State for
# Foreign Trade of Brazil", "the former US Secretary of State" (the words just before).
_FORMER_RE = re.compile(r"\b(?:former|ex-)\s*(?:the )?$")
# An engagement that is not this article's event: "his recent conversations with the leaders of X".
_OTHER_EVENT_WORDS = ("recent", "earlier", "previous")
# "X's President", "Japanese PM", "the Ethiopian side", "Croatian public figures".
_AFTER_RE = re.compile(
    r"^(?:['’]s)? (?:(?:new|newly[- ]appointed|acting|outgoing|incoming|first|deputy|vice"
    r"|foreign|prime|state|federal|national|high|public|business|expert|political|official"
    r"|government|parliamentary|interior|defence|defense|economy|energy|trade|finance"
    r"|transport|digital|foreign affairs|investment|senior) )*"
    r"(?:side|presidents?|prime minister|pm|premier|ministers?|counterparts?|leaders?|government"
    r"|parliament|delegation|ambassadors?|envoys?|colleagues?|officials|authorities|partners"
    r"|experts|journalists|figures|audience|diplomats?|mps?|senate|senators|king|emir"
    r"|crown prince|chancellor|secretary of state|head of state|speaker|ministry|mission"
    r"|legislators|lawmakers|parliamentarians|guests?|hosts?|interlocutors?|embassy"
    r"|media|press|public|expert community|scholars|academics|students)\b"
)
# Kazakh diplomats posted to X: the event took place in X (location), but X is no partner
# by that alone -- the ambassador to X may meet the OSCE in Vienna, the diaspora, or the
# officials of another state of a concurrent accreditation ("to Brazil and concurrently
# to Chile").
POSTED = "posted-to"
_POSTED_RE = re.compile(
    r"\b(?:ambassador|embassy|consulate(?: general)?|consul(?: general)?|charg[ée] d'affaires"
    r"|mission|envoy) of (?:the republic of )?kazakhstan (?:to|in) (?:the )?$"
    r"|\bkazakh (?:ambassador|embassy|envoy|consulate(?: general)?) (?:to|in) (?:the )?$"
)
_TALKS_RE = re.compile(
    r"\b(?:talks|meeting|met|meets|met with|meets with|consultations|conversation|negotiations"
    r"|phone call|call|visit|visits|visited|trip|tour)(?: [a-z]+)? (?:with|to) (?:the )?$"
)
_COMPOUND_LEFT_RE = re.compile(r"\bkazakh(?:stan)?(?:i)?\s*[-–—]\s*$")
_COMPOUND_RIGHT_RE = re.compile(r"^\s*[-–—]\s*kazakh")
_AND_HOME_RE = re.compile(r"\bkazakhstan(?:,| and) (?:the )?$|^,? and kazakhstan\b")
_PARTICIPANTS_RE = re.compile(
    r"\b(?:observers?|observer states?|guests?|participants|participating (?:states|countries)"
    r"|(?:member|partner) states?|delegations?|representatives|heads of (?:state|delegations?)"
    r"|leaders|presidents|foreign ministers|ministers)(?: of)?"
    r"(?: (?:including|such as|namely|from))?[:,]? (?:the )?$"
)
# Demonyms that name companies, markets, schools or history rather than a state's
# participation ("Kazakh-British Technical University").
_NOT_STATE_RE = re.compile(
    r"^(?:['’]s)? (?:[a-z]+ )?(?:company|companies|firm|firms|corporation|group|bank|investors?"
    r"|business(?:es)?|majors?|oil|market|architect|economist|origin|descent|standards?"
    r"|model|experience|style|cuisine|language|university|institute|lyceum|school|college)\b"
)
_LIST_SEP_RE = re.compile(r"^(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+)?$")


# Mentions of one state judged per text. A real release names a state up to ~13 times
# (sample maximum); a hostile text naming it 100,000 times would otherwise cost seconds.
MAX_JUDGED = 50


@dataclass(frozen=True)
class Decision:
    """A mention with the rule that made it a partner (or None when it stays a mention)."""

    mention: Mention
    where: str
    rule: str | None


def _rule_for(doc: Text, m: Mention, settled: bool = False) -> str | None:
    """The first positive pattern around one country mention, or None (cheapest first).

    A ``settled`` state is a partner already, by an earlier mention: only the rules
    that still tell something are tried (``posted-to`` also places the event).
    """
    left, right = doc.around(m)
    statelike = m.kind in {"name", "alias", "demonym"}
    if (statelike and _NOT_STATE_RE.match(right)) or any(w in left for w in _OTHER_EVENT_WORDS):
        return None
    named = m.kind in {"name", "alias"}
    if doc.where == "title" and statelike:
        return "title"
    if m.kind == "leader":
        return "leader"
    # Each left-context pattern ends at the mention; a cheap suffix test skips most of them.
    ends_to_in = left.endswith(("to ", "in ", "to the ", "in the "))
    if ends_to_in and posted_to(left):
        return POSTED
    if settled:
        return None
    if m.kind != "demonym" and left.endswith((" of ", " of the ")):
        office = _OF_RE.search(left)
        if office and not _FORMER_RE.search(left, 0, office.start()):
            return "official-of"
    if _AFTER_RE.match(right) and not _FORMER_RE.search(left):
        return "official-after"
    if named and (ends_to_in or left.endswith(("with ", "with the "))) and _TALKS_RE.search(left):
        return "talks-with"
    if left.rstrip()[-1:] in {"-", "–", "—"} and _COMPOUND_LEFT_RE.search(left):
        return "kazakh-compound"
    if _COMPOUND_RIGHT_RE.match(right):
        return "kazakh-compound"
    if named and left.endswith((" ", ":")) and _PARTICIPANTS_RE.search(left[-60:]):
        return "participants"
    if doc.where == "title" and _AND_HOME_RE.search(left + "|" + right):
        return "kazakhstan-and"
    return None


_LISTED = "+list"


RuleFor = Callable[[Text, Mention, bool], str | None]
Listed = Callable[[str], bool]
OrgRule = Callable[[Text, Mention], str | None]


def _listed(gap: str) -> bool:
    return _LIST_SEP_RE.match(gap) is not None


def _propagate_lists(
    doc: Text, decisions: list[Decision], listed: Listed = _listed
) -> list[Decision]:
    """ "Leaders of Austria, Jordan and Qatar": a list shares its head's role (the rule
    names it once: "official-of+list" for every item, however long the list)."""
    out = list(decisions)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if cur.rule or not prev.rule or cur.mention.kind not in {"name", "alias"}:
            continue
        gap = doc.text[prev.mention.end : cur.mention.start]
        if listed(gap):
            rule = prev.rule if prev.rule.endswith(_LISTED) else prev.rule + _LISTED
            out[i] = Decision(cur.mention, cur.where, rule)
    return out


def decide_countries(
    docs: list[tuple[Text, list[Mention]]], rule_for: RuleFor = _rule_for, listed: Listed = _listed
) -> list[Decision]:
    """Every country mention of the title and body with its partner rule (or None).

    Kazakhstan is never a partner, so its mentions are only judged when a list may
    follow them ("Presidents of Kazakhstan and Uzbekistan"). Once a state is a partner,
    its later mentions change nothing but the venue (``posted-to``) and the lists they
    head, so only that is still looked for (44% of the mentions judged in the sample).
    A state's mentions past ``MAX_JUDGED`` in one text are not judged at all. Russian and
    Kazakh texts pass their language's ``rule_for`` and ``listed`` (cyrillic_partners.py).
    """
    decisions: list[Decision] = []
    partners: set[str] = set()
    for doc, mentions in docs:
        local = []
        judged: dict[str, int] = {}
        for i, m in enumerate(mentions):
            heads_list = i + 1 < len(mentions) and mentions[i + 1].start - m.end <= 12
            rule = None
            judged[m.key] = seen = judged.get(m.key, 0) + 1
            if (m.key != HOME or heads_list) and seen <= MAX_JUDGED:
                rule = rule_for(doc, m, m.key in partners and not heads_list)
                if is_partner_rule(rule):
                    partners.add(m.key)
            local.append(Decision(m, doc.where, rule))
        decisions.extend(_propagate_lists(doc, local, listed))
    return decisions


def posted_to(left: str) -> bool:
    """Whether lower-cased words end by naming a Kazakh mission or envoy to a place
    ("Ambassador of Kazakhstan to", "the Kazakh Embassy in the")."""
    return _POSTED_RE.search(left) is not None


def is_partner_rule(rule: str | None) -> bool:
    """Whether a rule makes its state a partner (``posted-to``, alone or heading a list,
    only places the event)."""
    return bool(rule) and not rule.startswith(POSTED)


def partner_countries(decisions: list[Decision]) -> tuple[list[str], list[Evidence]]:
    """Partners are foreign states with at least one partner rule; KAZ never."""
    partners: dict[str, Evidence] = {}
    for d in decisions:
        if is_partner_rule(d.rule) and d.mention.key != HOME and d.mention.key not in partners:
            partners[d.mention.key] = _evidence("partner_countries", d)
    return sorted(partners), [partners[k] for k in sorted(partners)]


def mentioned_countries(decisions: list[Decision], partners: list[str]) -> list[str]:
    keys = {d.mention.key for d in decisions} - set(partners) - {HOME}
    return sorted(keys)


def _evidence(field: str, d: Decision) -> Evidence:
    m = d.mention
    return Evidence(field, m.key, m.surface, m.start, m.end, d.where, d.rule or "")


# --------------------------------------------------------------------------- organisations


def _org_rule(doc: Text, m: Mention) -> str | None:
    """Title: named = engaged unless only a venue. Body: an organ of the organisation in a
    sentence that reports this event (the lead, or any sentence with an engagement verb).
    The rules are ``analysis/data/rules/en/orgs.toml``."""
    rules = patterns.rules("orgs")
    if rules["not-organ"].touches(doc, m.start, m.end):
        return None
    organ = rules["organ-after"].touches(doc, m.start, m.end)
    if not organ and rules["at-venue"].touches(doc, m.start, m.end):
        return None
    organ = organ or rules["organ-before"].touches(doc, m.start, m.end)
    if doc.where == "title":
        return "title"
    if not organ:
        return None
    start, end = doc.sentence_span(m.start)
    if rules["plan"].found(doc, start, end):
        return None
    if m.start < doc.lead_end:
        return "org-lead"
    return "org-engaged" if rules["engaged"].found(doc, start, end) else None


def decide_orgs(
    docs: list[tuple[Text, list[Mention]]], org_rule: OrgRule = _org_rule
) -> list[Decision]:
    """Organisation mentions of the title and body with their rule; a partner found
    already is not judged again (only its first positive mention is evidence)."""
    decisions = []
    partners: set[str] = set()
    for doc, mentions in docs:
        for m in mentions:
            rule = None if m.key in partners else org_rule(doc, m)
            if rule:
                partners.add(m.key)
            decisions.append(Decision(m, doc.where, rule))
    return decisions


def partner_orgs(decisions: list[Decision]) -> tuple[list[str], list[Evidence]]:
    found: dict[str, Evidence] = {}
    for d in decisions:
        if d.rule and d.mention.key not in found:
            found[d.mention.key] = _evidence("partner_orgs", d)
    return sorted(found), [found[k] for k in sorted(found)]
