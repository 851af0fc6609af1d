"""The `esi-tui` command: the TUI by default, and subcommands for scripts and set-up."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from esi_tui import __version__


def _database(text: str) -> Path | str:
    """A --db value: a PostgreSQL URL stays text, anything else is a file path."""
    from esi_tui.store.location import database_argument

    return database_argument(text)


def _common(parser: argparse.ArgumentParser, suppress: bool, repeatable: bool = False) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", type=_database, default=default, metavar="PATH|URL",
                        help="database file, or a PostgreSQL server's postgresql://... URL "
                             "(default: $ESI_TUI_DB or the user data folder)")
    parser.add_argument("--reviewer", default=default, metavar="NAME",
                        help="who is answering (default: $ESI_TUI_REVIEWER or the login name)")
    if repeatable:
        parser.add_argument("--inspection", default=default, metavar="ID", action="append",
                            help="inspection to use when the database holds several; give it again to sum "
                                 "several inspections of one questionnaire (a region from its areas)")
    else:
        parser.add_argument("--inspection", default=default, metavar="ID",
                            help="inspection to use when the database holds several")


def _format(parser: argparse.ArgumentParser) -> None:
    """`--format table|csv|json` for a command that prints a table."""
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="table (wrapped to the terminal, plain aligned text when piped), csv or json")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="esi-tui", description="Review case files against an inspection questionnaire.")
    parser.add_argument("--version", action="version", version=f"esi-tui {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--read-only", action="store_true", help="open without taking the write lock")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, repeatable: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, suppress=True, repeatable=repeatable)
        return p

    p = command("validate", "check questionnaire files and report every problem")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p = command("new", "create an inspection from a questionnaire")
    p.add_argument("--questionnaire", "-q", required=True, metavar="ID|FILE",
                   help="a shipped questionnaire id (e.g. esi-2005-followup) or a TOML file")
    p.add_argument("--area", required=True, help="the area inspected, e.g. Hampshire")
    p.add_argument("--id", dest="inspection_id", metavar="ID", help="inspection id (default: from area and date)")
    p.add_argument("--title", default="", help="a title for reports")
    p.add_argument("--baseline", metavar="B1=54,...|FILE.toml",
                   help="earlier scores per criterion (or question), inline or as a TOML file")
    p.add_argument("--questionnaires", type=Path, action="append", metavar="DIR",
                   help="also look for questionnaires here")

    p = command("import-cases", "add cases from a CSV file (header: reference + attribute names)")
    p.add_argument("csv", type=Path, metavar="CSV", nargs="?")
    p.add_argument("--columns", action="store_true", help="print the columns and the values each accepts")

    p = command("tally", "print the criterion tallies (of several inspections summed, with --inspection again)",
                repeatable=True)
    p.add_argument("--by-question", action="store_true", help="one row per question too")
    p.add_argument("--json", action="store_true", help="one JSON object for scripts (as --format json)")
    _format(p)
    p.add_argument("--only-reviewer", metavar="NAME", help="count only this reviewer's answers")
    p.add_argument("--where", metavar="ATTR=V[,V][;...]", help="only cases matching, e.g. risk_of_harm=high,very_high")
    p.add_argument("--ci", action="store_true", help="show 95%% Wilson score intervals")

    p = command("compare", "areas side by side: each inspection's score, X of Y, rating, change and interval",
                repeatable=True)
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")
    p.add_argument("--no-ci", action="store_true", help="leave out the 95%% Wilson intervals")

    _format(command("list", "list the inspections in the database"))

    p = command("replay", "apply a replay script (JSON Lines of inspections, cases, answers and team records)")
    p.add_argument("script", type=Path, metavar="SCRIPT")
    p.add_argument("--keep-going", action="store_true", help="apply the good lines even if some are bad")
    p.add_argument("--live", action="store_true", help="play the answers in the app, as a reviewer would")
    p.add_argument("--speed", type=float, default=5.0, metavar="N", help="answers per second in --live mode")
    p.add_argument("--quiet", action="store_true", help="print no tallies at the end")
    p.add_argument("--questionnaires", type=Path, action="append", metavar="DIR",
                   help="also look for questionnaires here")

    p = command("export", "export answers: a replay script (jsonl, with the team records), CSV or JSON")
    p.add_argument("--format", choices=("jsonl", "csv", "json"), default="jsonl")
    p.add_argument("--redact", action="store_true", help="leave out notes and replace case references")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")

    p = command("report", "a report shaped like the published inspection report (regional with --inspection again)",
                repeatable=True)
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("--redact", action="store_true", help="leave out notes and replace case references")
    p.add_argument("--ci", action="store_true", help="show 95%% Wilson intervals")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")

    p = command("merge", "bring other reviewers' databases (or exported .jsonl scripts) into one")
    p.add_argument("sources", nargs="+", type=_database, metavar="OTHER")
    p.add_argument("--into", type=_database, required=True, metavar="PATH|URL", help="the database to merge into")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = ("exit status:\n"
                "  0  merged; no differences\n"
                "  3  merged, but differences need a look: each is a line on stderr, then how many\n"
                "  1  an error, named on stderr; bad input (a missing or unreadable source,\n"
                "     a bad script, the target in use) merges nothing\n"
                "  2  bad arguments")

    p = command("sync", "push this laptop's changes to a PostgreSQL server and pull everyone else's (a merge "
                        "both ways)")
    p.add_argument("--with", dest="server", type=_database, required=True, metavar="URL",
                   help="the team's PostgreSQL database, postgresql://...")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = ("the merge rules are `esi-tui merge`'s, each way; syncing again changes nothing.\n"
                "exit status: 0 synced, no differences; 3 synced, but differences need a look (on stderr);\n"
                "  1 an error (nothing of a failed direction was saved); 2 bad arguments")

    p = command("init-db", "create the esi-tui schema in a PostgreSQL database (or check the one there)")
    p.add_argument("url", type=_database, metavar="URL", help="postgresql://user@host/database")

    p = command("serve", "serve the app in a web browser (textual-serve): each tab its own session")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a --host other machines can reach: anyone who reaches it can use the app as any "
                        "reviewer (there is no sign-in), so use it only behind your own access control")
    p.add_argument("--public-url", metavar="URL", help="the address browsers use, when behind a proxy")

    p = command("double-review", "mark cases for blind double review (named ones, or a random share)")
    p.add_argument("--cases", metavar="REF,REF", help="the cases to mark")
    p.add_argument("--share", type=float, metavar="FRACTION", help="draw this share of the sample at random")
    p.add_argument("--seed", type=int, help="the random seed (recorded; default: a fresh one)")

    p = command("agreement", "agreement between reviewers per question, criterion and overall, for each pair "
                             "and for all: percent agreement, Cohen's kappa, Gwet's AC1, PABAK, Krippendorff's "
                             "alpha and Fleiss' kappa, each with its reading and warnings")
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")
    _format(p)

    p = command("sample", "draw a stratified random sample from a caseload CSV, or say how many cases a "
                          "margin of error needs")
    p.add_argument("caseload", type=Path, nargs="?", metavar="CASELOAD.csv",
                   help="the caseload, in the import-cases format (header: reference + attribute names)")
    p.add_argument("--size", metavar="N", help="draw N cases")
    p.add_argument("--share", metavar="P", help="draw this share of each stratum: 0.2 or 20%%")
    p.add_argument("--margin", metavar="POINTS",
                   help="draw (or, without a caseload, just count) the cases a percentage needs to be within "
                        "±POINTS at --confidence")
    p.add_argument("--confidence", default="95", metavar="PERCENT",
                   help="confidence for --margin and the margin printed after a draw (default 95)")
    p.add_argument("--population", metavar="N", help="the caseload's size, for --margin without a caseload")
    p.add_argument("--min", metavar="M", help="at least M cases from every stratum")
    p.add_argument("--strata", metavar="ATTR,...", help="stratify by these columns (default: none)")
    p.add_argument("--seed", metavar="S", help="the random seed, a whole number (default: a fresh one, printed)")
    p.add_argument("--questionnaire", "-q", metavar="ID|FILE",
                   help="check columns and values as import-cases would (so the sample imports)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the sample to FILE (else stdout)")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = (
        "allocation:\n"
        "  proportional to the strata, rounded by the largest remainder rule: each stratum\n"
        "  gets the whole part of its quota (its share of the sample), and the cases left go\n"
        "  one each to the largest remainders (ties: the larger stratum, then the first in\n"
        "  order of its values); every stratum is within one case of its share. --share P\n"
        "  draws ceil(P x caseload) cases. --min M comes first: with --size the other strata\n"
        "  share what is left in proportion; with --share a smaller stratum is raised to M.\n"
        "  A stratum of fewer than M cases is an error.\n"
        "the draw:\n"
        "  in each stratum, the cases whose SHA-256(seed, reference) is smallest: the same seed\n"
        "  and caseload give the same sample, byte for byte, on any machine. The sample keeps\n"
        "  the caseload's columns and order, so `esi-tui import-cases` reads it.\n"
        "sample size for a margin (Cochran 1977, the normal approximation for a proportion):\n"
        "  n0 = z^2 p (1 - p) / e^2 with p = 0.5 and e = POINTS / 100, then with the\n"
        "  finite population correction n = n0 / (1 + (n0 - 1) / N), rounded up;\n"
        "  e.g. `esi-tui sample --margin 10 --confidence 80 --population 412` gives 38.\n"
        "the make-up of the sample against the caseload's goes to stdout with -o, else stderr.")

    p = command("peer", "a quick peer review of one case (the peer-review-quick questionnaire)")
    p.add_argument("--case", metavar="REF", help="the case to review (a short form adds it if new)")
    p.add_argument("--questionnaire", "-q", metavar="ID|FILE", default="peer-review-quick",
                   help="questionnaire for the peer review (default: peer-review-quick)")
    p.add_argument("--summary", action="store_true", help="print what peer reviews found, per question")

    p = command("delete-inspection", "delete an inspection and all of its cases, answers and team records "
                                     "(asks for its id to be typed, unless --yes)")
    p.add_argument("id", metavar="ID", nargs="?", help="the inspection to delete (esi-tui list shows them)")
    p.add_argument("--yes", action="store_true", help="delete without asking (scripts)")

    command("check", "check a database file and its journal: one line per problem (exit 1), or healthy (exit 0)")
    command("repair", "repair a damaged database journal: keep every change before the damage, set the rest "
                      "aside in a file beside the database, and say what was done")

    p = command("demo", "open the app on a fresh demo inspection (30 fictional cases)")
    p.add_argument("--no-open", action="store_true", help="create the demo database and print its path")
    p.add_argument("--questionnaire", "-q", metavar="ID|FILE", default=None,
                   help="demo this questionnaire (default: esi-2005-followup), e.g. hmip-public-protection-2025")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from esi_tui.commands import run

    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last net: one line, never a traceback
        from esi_tui.commands.errors import describe_error

        message, known = describe_error(exc)
        if not known and os.environ.get("ESI_TUI_DEBUG"):
            raise
        lines = message.splitlines() or [message]
        for line in lines if len(lines) > 1 else [f"esi-tui: {message}"]:
            print(line, file=sys.stderr)
        return 1
    finally:
        _warn_after_close()


def _warn_after_close() -> None:
    """Show what closing a database could not do though nothing was lost (after the first error, if any)."""
    from esi_tui.store import close_notices

    for text in close_notices.take():
        print(f"esi-tui: warning: {text}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
