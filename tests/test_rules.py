"""Every rule file's own examples: each rule fires on its ``matches`` and not on its
``does_not_match`` (the mention the rule is asked about is marked ``[...]``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from analysis.extract import patterns
from analysis.extract.doc import Text

_MARK = re.compile(r"\[([^\]]+)\]")


def _examples() -> list[object]:
    cases = []
    for path in patterns.rule_files():
        family, lang = path.stem, path.parent.name
        for rule in patterns.rules(family, lang).values():
            for wanted, examples in ((True, rule.matches), (False, rule.does_not_match)):
                for example in examples:
                    case_id = f"{lang}/{family}/{rule.name}/{'+' if wanted else '-'}{example[:40]}"
                    cases.append(pytest.param(rule, example, wanted, id=case_id))
    return cases


def _fires(rule: patterns.Rule, example: str) -> bool:
    mark = _MARK.search(example)
    if mark is None:
        return rule.found(Text(example))
    text = example[: mark.start()] + mark.group(1) + example[mark.end() :]
    return rule.touches(Text(text), mark.start(), mark.start() + len(mark.group(1)))


@pytest.mark.parametrize(("rule", "example", "wanted"), _examples())
def test_rule_example(rule: patterns.Rule, example: str, wanted: bool) -> None:
    assert _fires(rule, example) is wanted


def test_every_rule_has_a_reason_and_examples_both_ways() -> None:
    for path in patterns.rule_files():
        with path.open("rb") as fh:
            entries = tomllib.load(fh)["rule"]
        for entry in entries:
            assert entry["reason"].strip(), (path, entry["name"])
            assert entry.get("matches") and entry.get("does_not_match"), (path, entry["name"])


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("in {PLACE} and {ORG}", "one slot"),
        ("in [] {PLACE}", "empty word"),
        ("* {PLACE}", "bad word"),
    ],
)
def test_a_bad_phrase_is_refused_with_its_text(phrase: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        patterns.compile_phrase(phrase)


def test_a_rule_file_with_a_broken_rule_names_the_file_and_rule(tmp_path: Path) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "demo.toml").write_text(
        '[[rule]]\nname = "broken"\nreason = "x"\nphrases = ["in [] {PLACE}"]\n',
        encoding="utf-8",
    )
    patterns.rules.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(patterns, "RULES_DIR", tmp_path)
            with pytest.raises(ValueError, match=r"demo\.toml: rule 'broken'"):
                patterns.rules("demo", "xx")
    finally:
        patterns.rules.cache_clear()


def test_a_slot_rule_reads_only_the_mention_s_own_sentence() -> None:
    venue = patterns.rules("location")["venue"]
    text = Text("The meeting was held in. Ankara agreed.")
    start = text.text.index("Ankara")
    assert not venue.touches(text, start, start + len("Ankara"))


def test_a_veto_cancels_only_the_cue_it_overlaps() -> None:
    remote = patterns.rules("location")["remote"]
    assert not remote.found(Text("He handed over his letter of credence."))
    assert remote.found(Text("He handed over his letter of credence and a letter."))
