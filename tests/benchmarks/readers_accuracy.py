"""Accuracy of the typed readers on spoken -> written pairs from public ITN test data.

    .venv/bin/python tests/benchmarks/readers_accuracy.py [--split dev|held-out] [--misses]

Reads tests/readers/itn_corpus.tsv (see its header and itn_corpus_build.py for the sources), asks
`read_value(type, spoken)` for each pair on the corpus clock, and prints per split and type how many
were right, how many came back as a wrong value (the worse failure: an agent acts on it) and how
many as nothing. A pair whose expected value is `-` is right only when nothing is read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from callsim.readers import ReadContext, read_value

CORPUS = Path(__file__).resolve().parents[1] / "readers" / "itn_corpus.tsv"
CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York")),
                  timezone="America/New_York")


def load(split: str | None = None) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        row_split, kind, spoken, expected, _source = line.split("\t")
        if split in (None, row_split):
            rows.append((row_split, kind, spoken, expected))
    return rows


def shown(kind: str, value: object, expected: str) -> str:
    """A read value written the way the corpus writes expected values."""
    if isinstance(value, dt.time):
        with_seconds = expected.split("|")[0].count(":") == 2 or value.second or value.microsecond
        return value.isoformat() if with_seconds else value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def matches(kind: str, value: object, expected: str) -> bool:
    if kind == "number":
        try:
            return math.isclose(float(value), float(expected), rel_tol=1e-12)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    said = shown(kind, value, expected)
    wanted = expected.split("|")
    return said.casefold() in (w.casefold() for w in wanted)


def outcome(kind: str, spoken: str, expected: str) -> tuple[str, str]:
    """("right" | "wrong" | "nothing", what was read)."""
    read = read_value(kind, spoken, CTX)
    if read is None:
        return ("right" if expected == "-" else "nothing"), "nothing"
    said = shown(kind, read.value, expected)
    if expected != "-" and matches(kind, read.value, expected):
        return "right", said
    return "wrong", said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "held-out"])
    parser.add_argument("--misses", action="store_true", help="list every pair not read right")
    args = parser.parse_args()
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    misses = []
    for split, kind, spoken, expected in load(args.split):
        result, said = outcome(kind, spoken, expected)
        counts[(split, kind)][result] += 1
        if result != "right":
            misses.append(f"  {split:8} {kind:6} {result:7} {spoken!r}: read {said}, expected {expected}")
    print(f"{'split':9}{'type':8}{'pairs':>6}{'right':>8}{'wrong':>7}{'nothing':>9}")
    for split in ("dev", "held-out"):
        total: Counter[str] = Counter()
        for kind in ("number", "digits", "date", "time", "email"):
            c = counts.get((split, kind))
            if not c:
                continue
            total += c
            n = sum(c.values())
            print(f"{split:9}{kind:8}{n:6}{100 * c['right'] / n:7.1f}%{c['wrong']:7}{c['nothing']:9}")
        if total:
            n = sum(total.values())
            print(f"{split:9}{'all':8}{n:6}{100 * total['right'] / n:7.1f}%{total['wrong']:7}{total['nothing']:9}")
    if args.misses:
        print("\n".join(["", "misses:", *misses]))


if __name__ == "__main__":
    main()
