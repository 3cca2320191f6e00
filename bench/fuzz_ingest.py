"""Fuzzing the ingest: many hostile files through `python -m geo ingest --json`, each checked against the contract.

The same generator and the same checks as tests/test_fuzz_ingest.py (tests/fuzz_files.py), run for
longer. Run it from the repository root with the project's interpreter::

    .venv/bin/python bench/fuzz_ingest.py                      # 2,000 files, seed 13
    .venv/bin/python bench/fuzz_ingest.py --examples 500 --seed 7 --big --json /tmp/fuzz.json

Each file is ingested in this process through `geo.cli.main` (stdout and stderr captured) into a SQLite
store in a temporary folder that holds one good batch; a batch that lands is checked and rolled back, so
every file meets the same store. Real rows of /work/shared/data/real are mixed in when that folder is
there (read at run time, written only to the temporary folder, deleted at the end). ``--big`` adds
fields of 2 and 17 MB (slower). ``--subprocess N`` also runs N of the files through a real
``python -m geo ingest`` process, to see its stderr as a terminal would.

Printed: files tried, by outcome (stored, refused, unexpected failure) and kind, the contract breaks
grouped by what broke, and the time taken.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
# Hypothesis's cache of constants goes to the temporary folder, not into the working tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "atlas-hypothesis"))

from fuzz_files import ContractBroken, FuzzCase, RealRows, check_ingest, fuzz_cases, make_store  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="files to try (default 2000)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--big", action="store_true", help="also fields of 2 and 17 MB")
    parser.add_argument("--no-real", action="store_true", help="synthetic rows only")
    parser.add_argument("--subprocess", type=int, default=0, metavar="N", help="also run N files through `python -m geo`")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--show", type=int, default=3, help="examples shown per kind of break")
    parser.add_argument("--messages", action="store_true", help="also list the refusal messages, by kind of file")
    args = parser.parse_args(argv)

    real = None if args.no_real else RealRows.load()
    outcomes: collections.Counter[str] = collections.Counter()
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    breaks: dict[str, list[str]] = collections.defaultdict(list)
    messages: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    kept: list[FuzzCase] = []
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="atlas-fuzz-bench-") as folder:
        os.environ["ATLAS_HOME"] = str(Path(folder) / "home")
        os.environ.setdefault("ATLAS_USER", "fuzz")
        store = make_store(Path(folder))

        @seed(args.seed)
        @settings(
            max_examples=args.examples, deadline=None, database=None, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(fuzz_cases(real, big=args.big))
        def run(case: FuzzCase) -> None:
            kind = _kind(case)
            try:
                outcome = check_ingest(case, store, Path(folder))
                label = outcome.label
                if outcome.exit_code == 1:
                    messages[kind][_shape(outcome.stderr.splitlines()[0], case.file_name)] += 1
            except ContractBroken as exc:
                label = "contract broken"
                lines = str(exc).splitlines()
                for problem in lines[1:-1] or lines[-1:]:
                    breaks[_problem_kind(problem)].append(f"{lines[0][:300]}\n      {problem.strip()[:300]}")
            outcomes[label] += 1
            by_kind[kind][label] += 1
            if len(kept) < args.subprocess:
                kept.append(case)

        run()
        elapsed = time.perf_counter() - started
        sub = _subprocesses(kept, store, Path(folder)) if kept else {}
        store.dispose()

    total = sum(outcomes.values())
    print(f"fuzzed ingest: {total:,} files, seed {args.seed}, {'with' if real else 'without'} real rows, "
          f"{elapsed:.0f} s ({elapsed / max(total, 1) * 1000:.0f} ms per file)")
    for label, count in outcomes.most_common():
        print(f"  {label:<30}{count:>7,}")
    print("by kind of file:")
    for kind in sorted(by_kind):
        print(f"  {kind:<42}" + ", ".join(f"{label} {n}" for label, n in by_kind[kind].most_common()))
    broken_files = outcomes.get("contract broken", 0)
    print(f"contract broken: {broken_files} file(s)")
    for problem, examples in sorted(breaks.items(), key=lambda kv: -len(kv[1])):
        print(f"  [{len(examples)}] {problem}")
        for example in examples[: args.show]:
            print(f"    - {example}")
    if args.messages:
        print("refusal messages (digits written #):")
        for kind in sorted(messages):
            print(f"  {kind}:")
            for message, n in messages[kind].most_common(4):
                print(f"    [{n}] {message[:240]}")
    if sub:
        print(f"subprocess: {sub['files']} files through `python -m geo ingest`: exit codes {sub['exit_codes']}, "
              f"{sub['traceback']} with a traceback on stderr")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "files": total, "seed": args.seed, "real_rows": real is not None, "seconds": round(elapsed, 1),
            "outcomes": dict(outcomes), "by_kind": {k: dict(v) for k, v in by_kind.items()},
            "breaks": {k: len(v) for k, v in breaks.items()}, "subprocess": sub,
        }, indent=2))
    return 1 if broken_files else 0


def _kind(case: FuzzCase) -> str:
    if not case.layout:
        return f"not CSV: {case.damage}"
    return f"{case.layout}, {case.damage or 'harmless changes'}"


def _shape(message: str, file_name: str) -> str:
    """A refusal message without what differs between files of one kind (numbers)."""
    return re.sub(r"\d+", "#", message.replace(file_name, "FILE"))


def _problem_kind(problem: str) -> str:
    """A short name for a break, without the details that differ between files."""
    text = problem.strip()
    for marker in (":", " (", " line "):
        if marker in text[8:]:
            text = text[: 8 + text[8:].index(marker)]
    return text[:90]


def _subprocesses(cases: list[FuzzCase], store, folder: Path) -> dict:
    codes: collections.Counter[int] = collections.Counter()
    tracebacks = 0
    for i, case in enumerate(cases):
        path = folder / f"sub-{i}" / case.file_name
        path.parent.mkdir()
        path.write_bytes(case.content)
        proc = subprocess.run(
            [sys.executable, "-m", "geo", "ingest", str(path), "--db", str(store.engine.url), "--json", "--dry-run", *case.argv],
            cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        codes[proc.returncode] += 1
        tracebacks += "Traceback" in proc.stderr or "Exception ignored" in proc.stderr
    return {"files": len(cases), "exit_codes": dict(codes), "traceback": tracebacks}


if __name__ == "__main__":
    sys.exit(main())
