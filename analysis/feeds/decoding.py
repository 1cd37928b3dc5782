"""Bytes to text: UTF-8 first, byte-order marks, legacy code pages and mixes of them.

A file that cannot be decoded becomes a warning naming it; a bad line is replaced and named.
"""

from __future__ import annotations

import re

import charset_normalizer

from analysis.feeds.model import FeedWarning

# Byte-order marks of the UTF-16/32 encodings; UTF-32-LE's starts with UTF-16-LE's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xfe\xff", "utf-16-be", 2),
)
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
MIXED_MIN_UTF8 = 4  # valid non-ASCII UTF-8 characters that make a legacy file "mixed"
MAX_LINE_WARNINGS = 20


def decode_bytes(data: bytes, file: str) -> tuple[str | None, list[FeedWarning]]:
    """Bytes → text, trusting UTF-8 first and a real detector for legacy encodings."""
    warnings: list[FeedWarning] = []
    if not data.strip():
        return None, [FeedWarning(file, None, "empty file, skipped")]
    for bom, encoding, width in _BOMS:
        if data.startswith(bom):
            return _decode_wide(data[len(bom) :], encoding, width, file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _looks_binary(data):
        return None, [FeedWarning(file, None, _binary_message(data))]
    try:
        return _normalise_newlines(data.decode("utf-8")), warnings
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 4:
            line = data[: err.start].count(b"\n") + 1
            warnings.append(FeedWarning(file, line, "truncated UTF-8 at end of file; cut there"))
            return _normalise_newlines(data[: err.start].decode("utf-8")), warnings
    return _decode_not_utf8(data, file)


def _decode_wide(
    data: bytes, encoding: str, width: int, file: str
) -> tuple[str | None, list[FeedWarning]]:
    """UTF-16 or UTF-32 announced by a byte-order mark (Windows "Unicode" exports)."""
    warnings: list[FeedWarning] = []
    name = encoding.upper()
    cut = len(data) - len(data) % width
    if cut < len(data):
        line = _wide_line(data[:cut], encoding)
        warnings.append(FeedWarning(file, line, f"truncated {name} at end of file; cut there"))
        data = data[:cut]
    text = data.decode(encoding, errors="replace")
    if "\ufffd" in text:  # unpaired surrogates, code points beyond U+10FFFF
        bad = [i + 1 for i, ln in enumerate(text.split("\n")) if "\ufffd" in ln]
        for line in bad[:MAX_LINE_WARNINGS]:
            warnings.append(FeedWarning(file, line, f"invalid {name} replaced with U+FFFD"))
    if not text.strip():
        return None, [*warnings, FeedWarning(file, None, "empty file, skipped")]
    if _looks_binary_text(text):
        return None, [FeedWarning(file, None, "binary content (not a text feed), skipped")]
    return _normalise_newlines(text), warnings


def _wide_line(data: bytes, encoding: str) -> int:
    return data.decode(encoding, errors="replace").count("\n") + 1


def _decode_not_utf8(data: bytes, file: str) -> tuple[str | None, list[FeedWarning]]:
    """Not valid UTF-8: a legacy code page, UTF-8 with stray bytes, or a mix of the two.

    A line with bytes that are not UTF-8 *looks legacy* when it has no more valid UTF-8
    characters than bad bytes (a Cyrillic line in Windows-1251 has almost only bad
    ones). No real UTF-8 text outside such lines: the whole file is in one legacy code
    page, as the detector says. Real UTF-8 text as well: with at least one legacy-looking
    line of two or more bad bytes the file mixes encodings, and each line is decoded in
    its own, with a warning naming the lines; otherwise the bad bytes are stray, each is
    replaced with U+FFFD, with a warning naming its line.
    """
    looks_legacy: list[tuple[int, int, int, int]] = []  # (line, start, end, bad bytes)
    stray: list[int] = []
    utf8_chars = 0  # valid non-ASCII UTF-8 characters outside legacy-looking lines
    lineno, pos = 1, 0
    while m := _HIGH_BYTE_RE.search(data, pos):  # each line with a non-ASCII byte, once
        k = data.rfind(b"\n", pos, m.start())
        start = k + 1 if k >= 0 else pos
        end = data.find(b"\n", m.start())
        end = len(data) if end < 0 else end
        lineno += data.count(b"\n", pos, start)
        pos = end
        raw = data[start:end]
        try:
            utf8_chars += _non_ascii(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        line = raw.decode("utf-8", errors="replace")
        bad = line.count("\ufffd")
        valid = _non_ascii(line) - bad
        if valid <= bad:
            looks_legacy.append((lineno, start, end, bad))
        else:
            stray.append(lineno)
            utf8_chars += valid
    if utf8_chars < MIXED_MIN_UTF8:
        best = charset_normalizer.from_bytes(_detection_sample(data)).best()
        if best is not None and best.encoding not in {"utf_8", "utf_8_sig"}:
            return _normalise_newlines(data.decode(best.encoding, errors="replace")), []
    elif any(bad >= 2 for *_, bad in looks_legacy):
        return _decode_mixed(data, [x[:3] for x in looks_legacy], stray, file)
    return _with_replacements(data, file)


def _with_replacements(data: bytes, file: str) -> tuple[str | None, list[FeedWarning]]:
    """UTF-8 with a few bad bytes: each becomes U+FFFD, with a warning naming its line."""
    text = data.decode("utf-8", errors="replace")
    bad = sorted({i + 1 for i, ln in enumerate(text.split("\n")) if "\ufffd" in ln})
    if not bad or len(bad) > max(3, text.count("\n") // 2):
        return None, [FeedWarning(file, None, "undecodable text (unknown encoding), skipped")]
    warnings = [
        FeedWarning(file, line, "invalid UTF-8 bytes replaced with U+FFFD")
        for line in bad[:MAX_LINE_WARNINGS]
    ]
    return _normalise_newlines(text), warnings


def _decode_mixed(
    data: bytes, legacy: list[tuple[int, int, int]], stray: list[int], file: str
) -> tuple[str | None, list[FeedWarning]]:
    """UTF-8 and a legacy code page in one file: each line in its own encoding."""
    sample = b"\n".join(data[a:b] for _, a, b in legacy[:4096])[:DETECT_BYTES]
    best = charset_normalizer.from_bytes(sample).best()
    if best is None or best.encoding in {"utf_8", "utf_8_sig"}:
        return _with_replacements(data, file)
    encoding = best.encoding
    parts: list[str] = []
    pos = 0
    for _, start, end in legacy:
        parts.append(data[pos:start].decode("utf-8", errors="replace"))
        parts.append(data[start:end].decode(encoding, errors="replace"))
        pos = end
    parts.append(data[pos:].decode("utf-8", errors="replace"))
    warnings = []
    runs = _runs([n for n, _, _ in legacy])
    for first, last in runs[:MAX_LINE_WARNINGS]:
        lines = f"line {first}" if first == last else f"lines {first}-{last}"
        warnings.append(
            FeedWarning(file, first, f"mixed encodings: {lines} not UTF-8, decoded as {encoding}")
        )
    if len(runs) > MAX_LINE_WARNINGS:
        more = len(runs) - MAX_LINE_WARNINGS
        warnings.append(
            FeedWarning(
                file, runs[MAX_LINE_WARNINGS][0], f"mixed encodings: {more} more such blocks"
            )
        )
    for line in stray[:MAX_LINE_WARNINGS]:
        warnings.append(FeedWarning(file, line, "invalid UTF-8 bytes replaced with U+FFFD"))
    warnings.sort(key=lambda w: w.line or 0)
    return _normalise_newlines("".join(parts)), warnings


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) ranges: [3, 4, 5, 9] → [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))  # C speed, no loop


DETECT_BYTES = 1 << 18  # charset-normalizer takes ~40× what it is given (up to 10 MB)


def _detection_sample(data: bytes) -> bytes:
    """What the encoding detector sees: a small file whole, a big one from its first
    non-ASCII line on, so memory stays bounded and the sample still holds the letters."""
    if len(data) <= DETECT_BYTES:
        return data
    m = re.search(rb"[\x80-\xff]", data)
    start = data.rfind(b"\n", 0, m.start()) + 1 if m else 0
    return data[start : start + DETECT_BYTES]


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # not a Python loop
    return control > len(sample) * 0.05


def _looks_binary_text(text: str) -> bool:
    """The same test on decoded text (UTF-16 and UTF-32 files)."""
    sample = text[:8192]
    control = sum(sample.count(chr(b)) for b in _CONTROL_BYTES)
    return "\x00" in sample or control > len(sample) * 0.05


def _binary_message(data: bytes) -> str:
    """Say so when "binary" is really UTF-16 saved without its byte-order mark."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half >= 8:
        for zeros, encoding in ((sample[1::2], "UTF-16-LE"), (sample[0::2], "UTF-16-BE")):
            if zeros.count(0) > 0.9 * half:
                return (
                    f"binary content, skipped: looks like {encoding} without a byte-order "
                    "mark; save it as UTF-8, or as UTF-16 with a BOM"
                )
    return "binary content (not a text feed), skipped"


def _normalise_newlines(text: str) -> str:
    """LF line ends; no NULs; no byte-order marks left inside (files joined with `cat`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x00", "").replace("\ufeff", "")
