"""Docs that cannot drift: the README's command-line block against the parser of ``python -m geo`` itself.

Every command (``boundaries add``, ``db upgrade``, … each subcommand on its own) has one usage line in the block of
the README's "Command line" section; every option of its parser (argparse introspection: the option strings of its
actions, never a hand-kept list), every positional and every choice of an option is in that line; and no line names an
option its command does not have.
"""

from __future__ import annotations

import argparse
import re

from helpers import REPO

from geo.cli import build_parser

PREFIX = "python -m geo "


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command path and its parser: subcommands of a command with subcommands each on their own."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return {path: parser}
    out = {}
    for name, sub in groups[0].choices.items():
        out |= commands(sub, (*path, name))
    return out


def usage_lines(readme: str, parser: argparse.ArgumentParser) -> tuple[dict[tuple[str, ...], str], list[str]]:
    """The README's command-line block, one usage line per command path (continuation lines joined, comments cut), and
    the lines that name no command of `parser` or repeat one."""
    section = readme.split("\n## Command line\n", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    joined = re.sub(r"\\\n\s*", " ", block)
    known = commands(parser)
    out: dict[tuple[str, ...], str] = {}
    problems = []
    for line in joined.splitlines():
        if not line.startswith(PREFIX):
            continue
        words = line[len(PREFIX):].split()
        path = next((p for p in sorted(known, key=len, reverse=True) if tuple(words[: len(p)]) == p), None)
        if path is None:
            problems.append(f"the README has a usage line of no command: {line}")
        elif path in out:
            problems.append(f"{' '.join(path)}: two usage lines in the README")
        else:
            out[path] = line.split("  #", 1)[0]
    return out, problems


def _named(line: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", line) is not None


def drift(parser: argparse.ArgumentParser, readme: str) -> list[str]:
    """Every difference between the commands of `parser` and the usage lines of `readme`, one line each."""
    lines, found = usage_lines(readme, parser)
    for path, command in commands(parser).items():
        name = " ".join(path)
        line = lines.get(path)
        if line is None:
            found.append(f"{name}: no usage line in the README")
            continue
        options = set()
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if action.option_strings:
                options |= set(action.option_strings)
                for option in action.option_strings:
                    if option.startswith("--") and not _named(line, option):
                        found.append(f"{name}: {option} is not in the README")
            elif action.choices:
                found += [f"{name}: {choice!r} ({action.dest}) is not in the README" for choice in action.choices
                          if not _named(line, str(choice))]
            elif not _named(line, str(action.metavar or action.dest.upper())):  # a positional: as argparse's usage shows it
                found.append(f"{name}: {action.metavar or action.dest.upper()} is not in the README")
            if action.option_strings and action.choices:
                found += [f"{name}: {action.option_strings[-1]} {choice!r} is not in the README" for choice in action.choices
                          if not _named(line, str(choice))]
        for option in sorted(set(re.findall(r"(?<![\w-])--[a-z][\w-]*", line)) - options):
            found.append(f"{name}: the README names {option}, which the command does not have")
    return found


def test_the_readme_documents_every_option_of_every_command():
    assert drift(build_parser(), (REPO / "README.md").read_text(encoding="utf-8")) == []


def test_the_comparison_finds_each_kind_of_drift():
    """A parser and a README that disagree in each way: every disagreement is found."""
    parser = argparse.ArgumentParser(prog="python -m geo")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("ingest")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["auto", "acled"])
    p.add_argument("--user")
    p = sub.add_parser("db")
    d = p.add_subparsers(dest="db_command")
    d.add_parser("upgrade").add_argument("--json", action="store_true")
    d.add_parser("current")
    readme = ("# x\n\n## Command line\n\n```bash\npython -m geo ingest FILE... [--format auto] \\\n    [--old-flag]\n"
              "python -m geo db upgrade\n```\n")
    assert sorted(drift(parser, readme)) == sorted([
        "ingest: --user is not in the README",
        "ingest: --format 'acled' is not in the README",
        "ingest: the README names --old-flag, which the command does not have",
        "db upgrade: --json is not in the README",
        "db current: no usage line in the README",
    ])
