"""What kind of event an article reports, and who took part for Kazakhstan (spec §2).

Two fields of the engagement record:

* :func:`event_type` — the event the *title* reports as the news: the first typed cue
  (verb or noun) of the title's main clause. Cues inside subordinate phrases ("during a
  state visit", "on the sidelines of the summit", "who is on a visit") do not count; a
  telephone conversation is ``phone_call`` whatever was said in it; a summit is a
  ``conference`` even when something is signed there. When the title's verb names no
  type, or only a vague one ("discuss", "congratulate", "says"), the lead (first two
  sentences, after the agency dateline) decides or refines it.
* :func:`actor_level` — the most senior *Kazakh* participant, from the offices and names
  in the title and lead (the rest of the text when these name nobody, or only an embassy
  whose ambassador it names further on). Foreign officials ("President of Azerbaijan",
  "the Estonian Foreign Minister") and people who only instructed, sent greetings or are
  quoted do not count.

The cue words live in ``analysis/data/events.toml`` so analysts can edit them. Matching
is one Aho-Corasick pass per string (``pyahocorasick``) over the title and the lead only,
plus a few anchored regular expressions around the hits; the two functions share that
work for the same (title, text), so calling both costs about 40-45 µs per article on one
core (some 23,000 articles/s), whatever the length of the body.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from analysis.extract.doc import Doc
from analysis.extract.model import Evidence
from analysis.vocabulary import ACTOR_LEVELS, EVENT_TYPES, SENIORITY

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "events.toml"

# --------------------------------------------------------------------------------------
# The title and the lead, scanned once per article
# --------------------------------------------------------------------------------------

_EVENT, _ACTOR = 0, 1  # table pairs of the matcher


class _Scan:
    """A folded string and the phrases found in ``low[start:end]``, shared by both fields."""

    __slots__ = ("_groups", "end", "low", "raw", "src", "start", "where")

    def __init__(self, src: str, low: str, start: int, end: int, where: str) -> None:
        self.src, self.low, self.start, self.end = src, low, start, end
        self.where = where  # "title" or "text": what the offsets point into
        self.raw = _rules().matcher.scan(low, start, end) if start < end else []
        self._groups: list[Any] = [None, None]

    def tables(self, group: int) -> tuple[list[tuple[int, int, Any]], list[tuple[int, int, Any]]]:
        """Cues and demoting phrases (``_EVENT``) or offices and quoting phrases (``_ACTOR``)."""
        found = self._groups[group]
        if found is None:
            found = self._groups[group] = _Matcher.resolve(self.raw, group, self.low, self.end)
        return found


class _Scans(NamedTuple):
    doc: Doc
    title: _Scan
    lead: _Scan


_memo: list[_Scans | None] = [None]


def _scans(doc: Doc) -> _Scans:
    """The title's and the lead's scans, memoised for the last article (both fields read
    them). The lead is the body's (``Text.lead_end``), after its dateline."""
    found = _memo[0]
    if found is None or found.doc is not doc:
        title, body = doc.title, doc.body
        dateline = body.dateline
        start = dateline[1] if dateline and dateline[1] < len(body.text) else 0
        lead = _Scan(body.text, body.lower, start, body.lead_end, "text")
        found = _memo[0] = _Scans(
            doc, _Scan(title.text, title.lower, 0, len(title.text), "title"), lead
        )
    return found


# --------------------------------------------------------------------------------------
# Phrase matching: "{a,b}" alternatives, "~" stems, "*" gaps → Aho-Corasick anchors
# --------------------------------------------------------------------------------------

_GAPS = {"*": r"(?:[^\s,;:.()]+\s+){0,3}?", "*+": r"(?:[^\s,;:.()]+\s+){1,3}?"}
_BRACES = re.compile(r"\{([^{}]*)\}")
_TOKEN = re.compile(r"(?:\{[^{}]*\}|[^\s{}])+")


def _expand(token: str) -> list[str]:
    parts = _BRACES.split(token)  # literal, alts, literal, alts, ...
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def _tokens(phrase: str) -> list[str]:
    """Split on spaces outside braces: "{deputy chairman,speaker} of" → 2 tokens."""
    return _TOKEN.findall(phrase)


def _token_re(token: str) -> str:
    stem = token.endswith("~")
    alts = sorted(_expand(token[:-1] if stem else token), key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
    return "(?:" + body + ")" + (r"\w*" if stem else "")


def _phrase_re(phrase: str) -> re.Pattern[str]:
    toks = _tokens(phrase)
    out = []
    for i, tok in enumerate(toks):
        if tok in _GAPS:
            out.append(_GAPS[tok])
            continue
        sep = r"\s+" if i + 1 < len(toks) else ""
        if "" in _expand(tok.rstrip("~")):  # "{first,} deputy": the word is optional
            out.append(f"(?:{_token_re(tok)}{sep})?")
        else:
            out.append(_token_re(tok) + sep)
    return re.compile("".join(out) + r"(?!\w)")


def _anchors(phrase: str) -> list[tuple[str, re.Pattern[str] | None, bool]]:
    """(literal, regex to confirm or None, literal is a stem) for one phrase."""
    toks = _tokens(phrase)
    simple = all(t not in _GAPS for t in toks) and all("~" not in t for t in toks[:-1])
    if simple:
        stem = toks[-1].endswith("~")
        if stem:
            toks = [*toks[:-1], toks[-1][:-1]]
        combos = itertools.product(*(_expand(t) for t in toks))
        lits = [" ".join(w for w in c if w) for c in combos]
        return [(lit, None, stem) for lit in lits if lit]
    rx = _phrase_re(phrase)
    first = toks[0]
    return [(lit, rx, first.endswith("~")) for lit in _expand(first.rstrip("~")) if lit]


class _Matcher:
    """Phrases of several tables found in one Aho-Corasick pass over a string.

    Tables come in pairs, one pair per field (cues and demoting phrases for event_type,
    offices and quoting phrases for actor_level); a pair is resolved only when its field
    asks. Within a table matches are leftmost-longest and do not overlap; tables are
    independent (a demoting phrase may contain a cue).
    """

    def __init__(self, *tables: list[tuple[str, Any]]) -> None:
        lits: dict[str, tuple[list[tuple[Any, ...]], ...]] = {}
        groups = (len(tables) + 1) // 2
        for t, items in enumerate(tables):
            for order, (phrase, payload) in enumerate(items):
                for lit, rx, stem in _anchors(phrase):
                    head = lit[0].isalnum()  # must start a word
                    tail = lit[-1].isalnum() and not stem  # must end a word
                    mode = (2 if tail else 4) if rx is not None else 1 if stem else 0 if tail else 3
                    entry = (len(lit), head, rx, mode, t % 2, order, payload)
                    lits.setdefault(lit, tuple([] for _ in range(groups)))[t // 2].append(entry)
        self._ac = ahocorasick.Automaton()
        for lit, by_group in lits.items():
            self._ac.add_word(lit, tuple(tuple(g) for g in by_group))
        self._ac.make_automaton()

    def scan(self, low: str, start: int, end: int) -> list[tuple[int, Any]]:
        """The raw hits in ``low[start:end]`` (resolve them with :meth:`resolve`)."""
        return list(self._ac.iter(low, start, end))

    @staticmethod
    def resolve(
        raw: list[tuple[int, Any]], group: int, low: str, end: int
    ) -> tuple[list[tuple[int, int, Any]], list[tuple[int, int, Any]]]:
        """The (start, end, payload) matches of the two tables of *group*."""
        hits: list[tuple[int, int, int, int, Any]] = []
        add = hits.append
        for last, by_group in raw:
            e0 = last + 1
            for n, head, rx, mode, t, order, payload in by_group[group]:
                s = e0 - n
                if head and s > 0 and low[s - 1].isalnum():
                    continue
                e = e0
                if mode == 0:  # a word: it must end here
                    if e < end and low[e].isalnum():
                        continue
                elif mode == 1:  # a stem: extend to the end of the word
                    while e < end and low[e].isalnum():
                        e += 1
                elif mode != 3:  # a phrase with gaps: its first word is the anchor
                    if mode == 2 and e < end and low[e].isalnum():
                        continue
                    m = rx.match(low, s, end)
                    if m is None:
                        continue
                    e = m.end()
                    if (t, s, -e, order, payload) in hits:
                        continue  # reached from two of its anchors
                add((t, s, -e, order, payload))
        out: tuple[list[tuple[int, int, Any]], list[tuple[int, int, Any]]] = ([], [])
        if hits:
            hits.sort()  # (table, start, -end, order) is unique, payloads are never compared
            edge = [-1, -1]
            for t, s, neg_e, _, payload in hits:
                if s >= edge[t]:
                    out[t].append((s, -neg_e, payload))
                    edge[t] = -neg_e
        return out


_CLAUSE_END = re.compile(r"[,;:()\"]|\s-\s|\.(?:\s|$)")


def _spans(found: list[tuple[int, int, Any]], low: str, end: int) -> list[tuple[int, int]]:
    """Phrases that run from a trigger to the end of its clause."""
    out = []
    for s, e, _ in found:
        m = _CLAUSE_END.search(low, e, end)
        out.append((s, m.start() if m else end))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


# --------------------------------------------------------------------------------------
# Rules loaded from the data file
# --------------------------------------------------------------------------------------


# Words that end a noun phrase: "Kazakh Ambassador Meets Prime Minister" is not Kazakh.
_VERBISH = (
    "met|meets|meet|meeting|received|receives|receive|held|holds|hold|and|with|to|the|a|an|of|"
    "by|for|on|in|at|said|says|told|tells|thanked|welcomed|invited|called|visited|visits|"
    "congratulated|congratulates|sent|sends|hosted|hosts|discussed|discusses|side|sides"
)


@dataclass(frozen=True, slots=True)
class _Cue:
    type: str
    strong: bool


@dataclass(frozen=True, slots=True)
class _Role:
    kind: str  # role | name
    level: str
    policy: str  # default | marked | plural | never | name


class _Rules:
    def __init__(self, data: dict[str, Any]) -> None:
        ev = data["event_type"]
        items: list[tuple[str, Any]] = []
        for strength in ("strong", "weak"):
            for etype, phrases in ev[strength].items():
                if etype not in EVENT_TYPES:
                    raise ValueError(f"{DATA_FILE.name}: unknown event type {etype!r}")
                cue = _Cue(etype, strength == "strong")
                items += [(p, cue) for p in phrases]
        items += [(p, None) for p in ev.get("not_cues", [])]
        cue_table = items
        demote_table = [(p, None) for p in ev["demote"]]
        self.met_someone = re.compile(
            "|".join(f"(?<!\\w)(?:{_phrase_re(p).pattern})" for p in ev["counterpart"])
        )
        self.office_before = re.compile(
            r"(?:" + "|".join(map(re.escape, ev["office_before"])) + r")\s+(?:the\s+)?"
            r"(?:[\w+'.\-]+\s+){0,3}$"
        )
        self.office_after = re.compile(
            r"\s*(?:" + "|".join(map(re.escape, ev["office_after"])) + r")(?!\w)"
        )

        ac = data["actor_level"]
        self.order = SENIORITY
        self.office_name = {lvl: _Role("office+name", lvl, "name") for lvl in ACTOR_LEVELS}
        roles: list[tuple[str, Any]] = []
        for entry in ac["role"]:
            role = _Role("role", entry["level"], entry["policy"])
            roles += [(p, role) for p in entry["phrases"]]
        for entry in ac["name"]:
            role = _Role("name", entry["level"], "name")
            roles += [(n, role) for n in entry["names"]]
        mk = ac["markers"]
        quote_table = [(p, None) for p in mk["not_participant"]]
        # One automaton for both fields: tables 0-1 for event_type, 2-3 for actor_level.
        self.matcher = _Matcher(cue_table, demote_table, roles, quote_table)
        kz = "|".join(map(re.escape, mk["kazakh_before"]))
        # "Kazakh Foreign Minister", "Kazakh Information Minister", "Kazakh and German ..."
        self.kz_before = re.compile(
            rf"(?<![\w-])(?:{kz})(?:\s*(?:,|\s+and)\s+[\w'-]+)?\s+"
            rf"(?:(?!(?:{_VERBISH})\s)[a-z'-]+\s+){{0,2}}$"
        )
        self.foreign_before = frozenset(mk["foreign_before"])
        self.skip_before = frozenset(mk["skip_before"])
        self.of_fields = frozenset(mk["of_fields"])
        cp = "|".join(map(re.escape, sorted(mk["counterpart_before"], key=len, reverse=True)))
        self.counterpart = re.compile(
            rf"(?i:(?<!\w)(?:{cp}))\s+(?:(?i:the)\s+)?(?:[A-Z][\w'’.\-]*\s+){{0,4}}$"
        )
        npa = "|".join(map(re.escape, mk["not_participant_after"]))
        self.possessive_quote = re.compile(rf"'s?\s+(?:\w+\s+)?(?:{npa})(?!\w)")
        gap = "|".join(map(re.escape, mk["name_gap"]))
        # What may stand between an office and its holder's name: "Chairman of the Senate
        # of the Parliament of Kazakhstan Kassym-Jomart Tokayev", "Permanent Representative
        # of Kazakhstan to international organizations in Vienna, Mukhtar Tleuberdi".
        self.uppercase_only = frozenset(mk.get("uppercase_only", ()))
        w, nw = r"(?<![\w'’-])", r"(?![\w'’-])"  # whole words only: no backtracking blow-up
        self.name_gap = re.compile(rf"(?:[\s,]|{w}(?:{gap}){nw}|{w}[A-Z][\w'’-]*{nw}|{w}[A-Z]\.)*")
        src = "|".join(map(re.escape, mk["source_after"]))
        self.source_after = re.compile(rf"(?:'s)?\s*,?\s*(?:{src})(?!\w)")
        self.source_before = re.compile(r"press service of\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}$")


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    with DATA_FILE.open("rb") as fh:
        return _Rules(tomllib.load(fh))


# --------------------------------------------------------------------------------------
# event_type
# --------------------------------------------------------------------------------------


class _Hit(NamedTuple):
    type: str
    strong: bool
    start: int
    end: int
    demoted: bool


def _event_hits(r: _Rules, scan: _Scan) -> list[_Hit]:
    found, demote = scan.tables(_EVENT)
    if not found:
        return []
    low, start, end = scan.low, scan.start, scan.end
    demoted = _spans(demote, low, end)
    hits = []
    for s, e, cue in found:
        if cue is None:
            continue
        if cue.type == "conference" and (
            r.office_before.search(low, max(start, s - 60), s) or r.office_after.match(low, e, end)
        ):
            continue  # "President of the UN General Assembly": an office, not an event
        hits.append(_Hit(cue.type, cue.strong, s, e, _inside(s, demoted)))
    return hits


def _first_strong(hits: list[_Hit]) -> _Hit | None:
    strong = [h for h in hits if h.strong and not h.demoted]
    if not strong:
        return None
    first = strong[0]
    if first.type == "signing":  # "Leaders Sign Declaration at SCO Summit" is the summit
        conf = next((h for h in strong if h.type == "conference"), None)
        if conf is not None:
            return conf
    return first


_COLON_HEADLINE = re.compile(r"\s*[^:\s][^:]{0,60}:\s+\S")


def _quote_headline(tscan: _Scan) -> _Hit | None:
    """ "Energy Minister: ..." / "Tokayev: ...": a speaker, a colon and what was said."""
    m = _COLON_HEADLINE.match(tscan.low)
    if m is None:
        return None
    colon = tscan.low.index(":")
    speaker = [f for f in tscan.tables(_ACTOR)[0] if f[0] < colon]
    if not speaker or speaker[-1][1] != colon or speaker[-1][2].policy == "never":
        return None
    return _Hit("other", False, colon, colon + 1, False)


def _demote(h: _Hit) -> _Hit:
    return _Hit(h.type, h.strong, h.start, h.end, True)


def _choose_title(hits: list[_Hit]) -> tuple[_Hit | None, str]:
    phone = next((h for h in hits if h.type == "phone_call"), None)
    if phone is not None:
        return phone, "title:phone"
    cred = next((h for h in hits if h.type == "credentials" and not h.demoted), None)
    if cred is not None:
        return cred, "title:credentials"
    strong = _first_strong(hits)
    if strong is not None:
        return strong, "title:main-clause"
    return None, ""


def _ev(hit: _Hit, src: str, where: str, rule: str) -> Evidence:
    return Evidence(
        "event_type", hit.type, src[hit.start : hit.end], hit.start, hit.end, where, rule
    )


def event_type(doc: Doc) -> tuple[str, list[Evidence]]:
    """The event type the title reports as the news, with the cue words that decided it.

    Returns one of ``vocabulary.EVENT_TYPES`` and the evidence (offsets into the title or
    the body, ``where`` says which). An empty evidence list means no cue was found and
    the type defaulted to ``other``.
    """
    r = _rules()
    tscan, lscan = _scans(doc)[1:]
    title, text = tscan.src, lscan.src
    thits = _event_hits(r, tscan)
    quote = _quote_headline(tscan)
    if quote is not None:  # "Energy Minister: Kazakhstan Will ...": the rest is a quote
        thits = [h if h.start < quote.start else _demote(h) for h in thits]
    hit, rule = _choose_title(thits)
    if hit is not None:
        return hit.type, [_ev(hit, title, "title", rule)]

    weak = next((h for h in thits if not h.strong and not h.demoted), None)
    if weak is None:
        weak = quote

    lhits = _event_hits(r, lscan)
    lead = _first_strong(lhits)
    if lead is not None and (weak is None or lead.type != "visit"):
        # A visit is the frame of talks, not a kind of discussion: "X Discusses Y in Minsk"
        # stays a meeting even when the lead says the minister was on a working visit.
        evidence = [_ev(lead, text, "text", "lead" if weak is None else "lead:refines-title")]
        if weak is not None:
            evidence.insert(0, _ev(weak, title, "title", "title:weak"))
        return lead.type, evidence
    if weak is not None:
        return weak.type, [_ev(weak, title, "title", "title:weak")]
    lweak = next((h for h in lhits if not h.strong and not h.demoted), None)
    if lweak is not None:
        return lweak.type, [_ev(lweak, text, "text", "lead:weak")]
    sub = next((h for h in thits if h.strong), None) or (thits[0] if thits else None)
    if sub is not None:
        return sub.type, [_ev(sub, title, "title", "title:subordinate")]
    return "other", []


COUNTERPART_CHARS = 1000  # how much of the text may show a counterpart: the opening


def names_counterpart(doc: Doc) -> bool:
    """Whether the title or the opening of the text shows someone the Kazakh side met
    ("met with", "the parties"), for articles whose counterpart is no partner state or
    listed organisation: a meeting with a company is a meeting, not domestic news."""
    found = _rules().met_someone.search
    return bool(found(doc.title.lower) or found(doc.body.lower, 0, COUNTERPART_CHARS))


# --------------------------------------------------------------------------------------
# kz_actor_level
# --------------------------------------------------------------------------------------

_OF_LINK = re.compile(
    r"(?:\s+and\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)?"  # "Foreign Affairs and Trade"
    r"\s*,?\s*(?:of|for)\s+(?:the\s+)?([\w'’.\-]+(?:\s+[A-Z][\w'’.\-]*)*)"
)
_STATE_WORDS = frozenset(
    [
        "republic",
        "kingdom",
        "state",
        "commonwealth",
        "federation",
        "sultanate",
        "principality",
        "grand",
        "duchy",
        "islamic",
        "people's",
        "federal",
        "united",
        "democratic",
        "plurinational",
    ]
)
# Nationality adjectives: "Estonian", "Japanese", "Turkish", "Kyrgyz", "Tajik", "Turkmen".
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i|ic|ch|ek|ak|ik|yz|in|ine|ino|ss|ot|ene|men)")
_ACRONYM = re.compile(r"(?:[A-Z]{2,6}|[A-Z]\.(?:[A-Z]\.)+|[A-Z]{2,6}'s)")
_KZ_WORDS = frozenset({"kazakh", "kazakhstan", "kazakhstan's", "kazakhstani", "kz"})


def _after_chain(r: _Rules, src: str, pos: int, end: int) -> str | None:
    """'kz' / 'foreign' / None from the "of X" phrases after an office."""
    if not src.startswith((" of ", " for ", ", of ", " and ", " Of ", " For ", " And "), pos):
        return None
    for _ in range(6):
        m = _OF_LINK.match(src, pos, end)
        if m is None:
            return None
        words = m.group(1).split()
        first = words[0].lower().rstrip(".,")
        if first.startswith("kazakh"):
            return "kz"  # "of Kazakhstan", "of the Kazakh Foreign Ministry"
        if first in _STATE_WORDS or first in r.of_fields:
            pos = m.start(1) + len(words[0])
            continue
        if not words[0][:1].isupper():
            return None
        return "foreign"
    return None


def _before(r: _Rules, src: str, low: str, s: int, lo: int) -> str | None:
    """'kz' / 'foreign' / None from the words right before an office."""
    window = low[max(lo, s - 50) : s]
    if ("kazakh" in window or "rk " in window) and r.kz_before.search(low, max(lo, s - 50), s):
        return "kz"
    words = src[max(lo, s - 40) : s].split()
    shouting = src.isupper()  # an all-capitals title: every word looks like an acronym
    for w in reversed(words[-3:]):
        lw = w.lower()
        if lw in r.skip_before:
            continue
        if lw.rstrip(",") in _KZ_WORDS:
            return None
        if not shouting and _ACRONYM.fullmatch(w):
            return "foreign"  # before the punctuation test: "the U.S. Embassy"
        if w.endswith((",", ".", ":", ";")):
            return None
        if lw in r.foreign_before or _DEMONYM.fullmatch(w):
            return "foreign"
        return None
    return None


# "The Kazakh delegation was headed by Director ...": the head belongs to the delegation.
_HEADED_BY = re.compile(r"\s*(?:was\s+|were\s+|is\s+)?(?:headed|led|chaired)\s+by\s+(?:the\s+)?$")


def _surname(low: str, s: int, e: int) -> str:
    return low[s:e].rsplit(None, 1)[-1].removesuffix("'s").removesuffix("’s")


@dataclass(slots=True)
class _Mention:
    """An office or a name, in reading order (title first, then the lead)."""

    scan: _Scan
    start: int
    end: int
    role: _Role
    level: str
    after: int  # end of the previous mention in the same string: its markers are not ours


# Offices a bare "Minister" before a known name may stand for.
_MINISTERS = frozenset({"foreign_minister", "deputy_foreign_minister"})


def _collect(r: _Rules, scan: _Scan, bound: dict[str, str]) -> list[_Mention]:
    """Offices and names of *scan*; an office followed by a Kazakh name absorbs it and
    records in *bound* which office the article gives that surname."""
    out: list[_Mention] = []
    found = scan.tables(_ACTOR)[0]
    skip = -1
    prev = scan.start
    for i, (s, e, role) in enumerate(found):
        if role.policy == "never" or s == skip:
            continue
        short = e - s <= 3 and scan.low[s:e] in r.uppercase_only
        if short and not scan.src[s:e].removesuffix("s").isupper():
            continue  # "5 pm"
        if role.kind == "role" and i + 1 < len(found) and found[i + 1][2].kind == "name":
            # "President Kassym-Jomart Tokayev", "Chairman of the Senate of the Parliament
            # of Kazakhstan Kassym-Jomart Tokayev": that person's office.
            ns, ne, _ = found[i + 1]
            if (
                ns - e <= 80
                and r.name_gap.fullmatch(scan.src, e, ns)
                and (" of " not in scan.low[e:ns] or _after_chain(r, scan.src, e, ns) != "foreign")
            ):
                level = role.level
                field = scan.low[max(scan.start, s - 30) : s].split()[-1:]
                if (
                    scan.low[s:e] == "minister"
                    and found[i + 1][2].level in _MINISTERS
                    and not r.of_fields.intersection(field)  # "Energy Minister X"
                ):
                    level = found[i + 1][2].level  # "Minister Nurtleu": the name says which
                bound.setdefault(_surname(scan.low, ns, ne), level)
                out.append(_Mention(scan, s, ne, r.office_name[level], level, prev))
                skip, prev = ns, ne
                continue
        out.append(_Mention(scan, s, e, role, role.level, prev))
        prev = e
    return out


def _bind(mentions: list[_Mention], bound: dict[str, str]) -> list[_Mention]:
    """A bare name takes the office the article gives it, else the one in the data file."""
    for m in mentions:
        if m.role.kind == "name":
            m.level = bound.get(_surname(m.scan.low, m.start, m.end), m.role.level)
    return mentions


class _Judge:
    """Decides, lazily and once per mention, whether it is a Kazakh participant."""

    def __init__(self, r: _Rules, mentions: list[_Mention]) -> None:
        self.r = r
        self.mentions = mentions
        self.kazakh: dict[int, bool] = {}
        self.spans: dict[int, list[tuple[int, int]]] = {}

    def quoted(self, m: _Mention) -> bool:
        """Inside "on the instruction of ...", "greetings from ...", "Tokayev's initiative"."""
        scan = m.scan
        key = id(scan)
        if key not in self.spans:
            self.spans[key] = _spans(scan.tables(_ACTOR)[1], scan.low, scan.end)
        if _inside(m.start, self.spans[key]):
            return True
        if scan.low[m.end : m.end + 1] != "'":
            return False
        return self.r.possessive_quote.match(scan.low, m.end, min(scan.end, m.end + 40)) is not None

    def is_kazakh(self, i: int) -> bool:
        if i not in self.kazakh:
            self.kazakh[i] = False  # guards against cycles
            self.kazakh[i] = self._is_kazakh(i)
        return self.kazakh[i]

    def _is_kazakh(self, i: int) -> bool:
        r, m = self.r, self.mentions[i]
        if m.role.policy == "name":
            return True
        scan, s, e = m.scan, m.start, m.end
        side = _before(r, scan.src, scan.low, s, max(scan.start, m.after))
        if side != "kz":
            after = _after_chain(r, scan.src, e, scan.end)
            if after is not None:
                side = after
        if side is not None:
            return side == "kz"
        if i > 0 and _HEADED_BY.match(scan.low, max(scan.start, m.after), s):
            head = self.mentions[i - 1]  # "The Argentine delegation was headed by ..."
            if head.scan is scan and head.level == "embassy":
                return self.is_kazakh(i - 1)
        if m.role.policy != "default":
            return False  # "President Moon Jae-in", "foreign ministers" without a marker
        if r.counterpart.search(scan.src, max(scan.start, s - 60), s):
            return False  # "held talks with Minister X": the other side's official
        if scan.low.endswith("the ", max(scan.start, s - 4), s):
            for j in range(i - 1, -1, -1):  # "the Minister" is the minister named before
                prev = self.mentions[j]
                singular = prev.role.kind == "role" and prev.role.policy != "plural"
                if singular and prev.level == m.level:
                    return self.is_kazakh(j)
        return True  # a Kazakh release names its own officials without "of Kazakhstan"

    def source_only(self, m: _Mention) -> bool:
        """ "..., the Embassy reports": an institution named as the source of the release."""
        r, low, s, e = self.r, m.scan.low, m.start, m.end
        return bool(
            r.source_after.match(low, e, min(m.scan.end, e + 30))
            or r.source_before.search(low, max(m.scan.start, s - 40), s)
        )


def _decide(r: _Rules, mentions: list[_Mention]) -> _Mention | None:
    """The most senior Kazakh participant: persons before institutions, then seniority."""
    order = r.order
    keys = [
        (m.level == "embassy", order[m.level], m.scan.where != "title", i)
        for i, m in enumerate(mentions)
    ]
    keys.sort()
    ranked = [k[3] for k in keys]
    judge = _Judge(r, mentions)
    for i in ranked:
        m = mentions[i]
        if judge.quoted(m) or not judge.is_kazakh(i):
            continue
        if m.level == "embassy" and judge.source_only(m):
            continue
        return m
    return None


def _find_actor(r: _Rules, doc: Doc) -> _Mention | None:
    _, tscan, lead = _scans(doc)
    bound: dict[str, str] = {}
    top = _collect(r, tscan, bound)
    if any(m.level == "president" and m.role.kind != "name" for m in top):
        # Nobody outranks a Kazakh president named by office in the title ("President
        # Tokayev Meets ..."), so the lead need not be read. A bare name is not enough:
        # the lead may give it another office ("Chairman of the Senate Tokayev", 2017).
        best = _decide(r, _bind(top, bound))
        if best is not None and best.level == "president":
            return best
    mentions = _bind(top + _collect(r, lead, bound), bound)
    best = _decide(r, mentions) if mentions else None
    if lead.end >= len(lead.src) or (mentions and (best is None or best.level != "embassy")):
        return best
    # Title and lead name no official at all: look further into the text. Or they name
    # only an embassy, which means that no person is named: its ambassador later on
    # ("Addressing the participants, the Ambassador of Kazakhstan ...") is the one who
    # took part, while the officials the rest of a text mentions mostly did not.
    further = _collect(r, _Scan(lead.src, lead.low, lead.end, len(lead.low), "text"), bound)
    if mentions:
        further = [m for m in further if m.level == "ambassador"]
    return _decide(r, _bind(mentions + further, bound)) or best


def actor_level(doc: Doc) -> tuple[str, list[Evidence]]:
    """The most senior Kazakh participant's level, with the words that show it.

    Returns one of ``vocabulary.ACTOR_LEVELS`` and the evidence (offsets into the title
    or the body). ``embassy`` means an embassy, consulate or delegation acted and no Kazakh
    person is named; an empty evidence list means nobody was found (``other``).
    """
    best = _find_actor(_rules(), doc)
    if best is None:
        return "other", []
    level, scan, kind = best.level, best.scan, best.role.kind
    rule = "institution" if level == "embassy" else kind if kind != "role" else "office"
    where = scan.where
    s, e = best.start, best.end
    return level, [Evidence("kz_actor_level", level, scan.src[s:e], s, e, where, rule)]


__all__ = ["DATA_FILE", "actor_level", "event_type"]
