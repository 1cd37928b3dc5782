"""`diplodash` command line: ingest, extract, evaluate, aggregate, dashboard."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import choices, dates, pipeline, store
from analysis.clustering import DEFAULT_WINDOW
from analysis.dates import DATE_FORMATS
from analysis.vocabulary import LANGUAGES

MAX_WARNINGS_SHOWN = 50


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="read feed files into the Parquet store")
    p.add_argument(
        "paths", nargs="*", type=Path, help=f"files or folders (default {pipeline.DEFAULT_RAW})"
    )
    p.add_argument("--store", type=Path, default=pipeline.DEFAULT_STORE, help="store folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_file_time(p)
    p.add_argument(
        "--jobs",
        type=_positive,
        default=pipeline.default_jobs(),
        help="processes for extraction when at least "
        f"{pipeline.PARALLEL_MIN:,} articles need it (default: every CPU, here %(default)s)",
    )
    _add_window(p, "days between the reports of one event (default %(default)s)", DEFAULT_WINDOW)
    p.set_defaults(func=cmd_ingest)


def _add_window(p: argparse.ArgumentParser, help: str, default: int | None) -> None:
    """Events: reports at most this many days after an event's first (calls: 1 at most)."""
    p.add_argument("--event-window", type=_days, default=default, metavar="DAYS", help=help)


def _days(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return number


def _add_file_time(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--date-from-file-time",
        action="store_true",
        help="date articles that have no date by their file's modification day "
        "(a guess, flagged date_source=file_time); by default they stay undated",
    )


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def cmd_ingest(args: argparse.Namespace) -> int:
    paths = args.paths or [pipeline.DEFAULT_RAW]
    try:
        progress = False if args.quiet else None
        report = pipeline.ingest(
            paths,
            args.store,
            progress,
            args.jobs,
            args.event_window,
            date_from_file_time=args.date_from_file_time,
        )
    except store.StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: cannot write the store in {args.store}: {err}", file=sys.stderr)
        return 2
    return _print_report(report, report.summary(), "paths")


def _print_report(report: pipeline.IngestReport, summary: str, what: str) -> int:
    warnings = report.warnings
    for warning in warnings[:MAX_WARNINGS_SHOWN]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        print(f"warning: … {len(warnings) - MAX_WARNINGS_SHOWN} more", file=sys.stderr)
    print(summary, file=sys.stderr)
    if note := report.date_warning():
        print(f"warning: {note}", file=sys.stderr)
    if not report.ok:
        print(f"error: nothing could be read from the given {what}", file=sys.stderr)
        return 1
    return 0


def _add_fetch(sub: argparse._SubParsersAction) -> None:
    from analysis.fetch import Policy

    default = Policy()
    p = sub.add_parser("fetch", help="download RSS/Atom feeds and web pages into the store")
    p.add_argument("urls", nargs="+", metavar="URL", help="feed or page addresses (http/https)")
    p.add_argument("--store", type=Path, default=pipeline.DEFAULT_STORE, help="store folder")
    p.add_argument("--since", type=_day, metavar="DATE", help="only items from this day on")
    p.add_argument("--max", type=_positive, dest="max_items", metavar="N",
                   help="at most N items of each feed, the newest")  # fmt: skip
    p.add_argument("--cache", type=Path, help="response cache (default STORE/fetch-cache)")
    p.add_argument("--interval", type=_seconds, default=default.interval, metavar="SECONDS",
                   help="between two requests to one host (default %(default)s)")  # fmt: skip
    p.add_argument("--timeout", type=_seconds, default=default.timeout, metavar="SECONDS",
                   help="to connect, and between two reads (default %(default)s)")  # fmt: skip
    p.add_argument("--retries", type=_days, default=default.retries, metavar="N",
                   help="on timeouts, lost connections, 5xx (default %(default)s)")  # fmt: skip
    p.add_argument("--max-bytes", type=_positive, default=default.max_bytes,
                   help="size cap of one response (default %(default)s)")  # fmt: skip
    p.add_argument("--user-agent", default=default.user_agent,
                   help="say who you are, e.g. with a contact address")  # fmt: skip
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_fetch)


def _seconds(value: str) -> float:
    number = float(value)
    if not number >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {value}")
    return number


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from err


def cmd_fetch(args: argparse.Namespace) -> int:
    from analysis.fetch import Options, Policy, fetch

    policy = Policy(
        user_agent=args.user_agent,
        interval=args.interval,
        timeout=args.timeout,
        retries=args.retries,
        max_bytes=args.max_bytes,
    )
    options = Options(since=args.since, max_items=args.max_items)
    try:
        progress = False if args.quiet else None
        report = fetch(args.urls, args.store, policy, options, args.cache, progress)
    except KeyboardInterrupt:
        print("interrupted; what was fetched is stored: run again to resume", file=sys.stderr)
        return 130
    except (store.StoreError, OSError) as err:  # a store error says what to do itself
        plain = isinstance(err, store.StoreError)
        where = "" if plain else f"cannot write the store or cache in {args.store}: "
        print(f"error: {where}{err}", file=sys.stderr)
        return 2
    return _print_report(report.ingest, report.summary(), "URLs")


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="print one extracted record per article (JSONL or CSV)")
    p.add_argument("paths", nargs="+", type=Path, help="feed files or folders")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    _add_file_time(p)
    p.set_defaults(func=cmd_extract)


def cmd_extract(args: argparse.Namespace) -> int:
    from analysis.evaluate import extract_paths
    from analysis.exports import write_records

    records, warnings = extract_paths(args.paths, args.date_from_file_time)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_records(records, sys.stdout, args.format)
    return 0 if records or not warnings else 1


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score the extractor against gold labels")
    p.add_argument("--labels", type=Path, required=True, help="gold labels (JSON Lines)")
    p.add_argument("paths", nargs="*", type=Path, help=f"feeds (default {pipeline.DEFAULT_RAW})")
    p.add_argument("--errors", type=int, default=40, help="how many wrong articles to list")
    p.add_argument("--json", type=Path, help="also write the headline scores to this JSON file")
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from analysis.evaluate import evaluate, format_report, summary

    try:
        report = evaluate(args.labels, args.paths or [pipeline.DEFAULT_RAW])
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(format_report(report, max_errors=args.errors))
    if args.json:
        args.json.write_text(json.dumps(summary(report), indent=2) + "\n", encoding="utf-8")
    return 0


def _add_dashboard(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard", help="open the Streamlit dashboard")
    p.add_argument("--store", type=Path, default=pipeline.DEFAULT_STORE, help="store folder")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="localhost")
    p.set_defaults(func=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    env = {**os.environ, "DIPLODASH_STORE": str(Path(args.store).resolve())}
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        f"--server.port={args.port}", f"--server.address={args.address}",
        "--server.enableStaticServing=true", "--browser.gatherUsageStats=false",
        "--client.showErrorDetails=none",  # the app shows its own messages, never a trace
    ]  # fmt: skip
    # exec, not a child: SIGTERM or Ctrl-C from a service manager reaches Streamlit
    # itself, which then frees the port, instead of orphaning a server that holds it.
    os.execve(sys.executable, command, env)
    return 0  # not reached


def _add_aggregate(sub: argparse._SubParsersAction) -> None:
    from analysis.aggregate import AGGREGATIONS, DEFAULT_MEASURE, FREQS, MEASURES
    from analysis.exports import FORMATS

    p = sub.add_parser(
        "aggregate", help="articles, engagements and events by country, region, topic or date"
    )
    p.add_argument("--by", required=True, choices=list(AGGREGATIONS), help="what to count by")
    p.add_argument("--freq", choices=FREQS, help="period of the dated tables (--by date ...)")
    p.add_argument("--from", dest="start", metavar="DATE", help=f"first day: {DATE_FORMATS}")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day, inclusive (same forms)")
    for flag, name in [("--country", "countries"), ("--region", "regions"), ("--topic", "topics"),
                       ("--event-type", "event_types"), ("--actor-level", "actor_levels"),
                       ("--organisation", "organisations")]:  # fmt: skip
        p.add_argument(flag, dest=name, nargs="+", action="extend", default=[], metavar="X",
                       help="id or label, any case; an unknown one is refused")  # fmt: skip
    p.add_argument("--lang", dest="languages", nargs="+", action="extend", default=[],
                   choices=LANGUAGES, help="articles in these languages only")  # fmt: skip
    p.add_argument("--search", default="", help="text in the title or body")
    p.add_argument(
        "--measure",
        choices=MEASURES,
        default=DEFAULT_MEASURE,
        help="what rankings list most of first (every table has all three; default %(default)s)",
    )
    only = p.add_mutually_exclusive_group()
    for kind in ("bilateral", "multilateral"):
        only.add_argument(
            f"--{kind}",
            dest="formats",
            action="append_const",
            const=kind,
            default=[],
            help=f"only {kind} events (spec §3 format)",
        )
    _add_window(p, "cluster events again with this many days (default: as stored)", None)
    p.add_argument("--format", choices=FORMATS, default="csv", help="output file format")
    p.add_argument("--output", type=Path, help="file to write (default: standard output)")
    p.add_argument("--store", type=Path, default=pipeline.DEFAULT_STORE, help="store folder")
    p.set_defaults(func=cmd_aggregate)


def cmd_aggregate(args: argparse.Namespace) -> int:
    from analysis import aggregate, exports

    fields = ("countries", "regions", "topics", "event_types", "actor_levels", "organisations")
    try:
        store.require(args.store)
        chosen = {field: getattr(args, field) for field in (*fields, "formats", "languages")}
        chosen |= {field: choices.resolve(field, chosen[field]) for field in choices.FIELDS}
        start, end = (
            _day(flag, value) for flag, value in [("--from", args.start), ("--to", args.end)]
        )
        selection = aggregate.Filter(start=start, end=end, text=args.search, **chosen)
        data = selection.apply(aggregate.load(args.store, args.event_window))
        frame = aggregate.aggregate(data, args.by, args.freq, args.measure)
        exports.write_frame(frame, args.format, args.output)
        if args.by in aggregate.TIMED and (note := aggregate.undated_note(data)):
            print(f"note: {note}", file=sys.stderr)
    except (ValueError, store.StoreError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _day(flag: str, value: str | None) -> dt.date | None:
    try:
        return dates.parse_day(value) if value else None
    except ValueError as err:
        raise ValueError(f"{flag}: {err}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diplodash",
        description="Kazakhstan's diplomatic activity: from news feeds to a dashboard.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_ingest, _add_fetch, _add_extract, _add_evaluate, _add_aggregate,
                _add_dashboard):  # fmt: skip
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted; the store is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
