"""Accuracy of the typed readers on spoken -> written pairs from public ITN test data.

    .venv/bin/python tests/benchmarks/readers_accuracy.py [--corpus nemo|other|speech] [--split dev|held-out] [--misses]

Reads tests/readers/itn_corpus.tsv (`nemo`: NeMo's and itnpy's tests, see itn_corpus_build.py),
tests/readers/itn_corpus2.tsv (`other`: Duckling's, Recognizers-Text's and WeTextProcessing's, see
itn_corpus2_build.py) and tests/readers/speech_corpus.tsv (`speech`: speech-to-text style, written by
hand), asks `read_value(type, spoken)` for each pair on the corpus clock (or the pair's own `now`), and
prints per corpus, split and type how many were right, how many came back as a wrong value (the worse
failure: an agent acts on it) and how many as nothing. A pair whose expected value is `-` is right only
when nothing is read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from callsim.readers import ReadContext, read_value

_HERE = Path(__file__).resolve().parents[1] / "readers"
CORPORA = {"nemo": _HERE / "itn_corpus.tsv", "other": _HERE / "itn_corpus2.tsv", "speech": _HERE / "speech_corpus.tsv"}
CORPUS = CORPORA["nemo"]
TYPES = ("number", "digits", "phone", "date", "time", "datetime", "email")
CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York")),
                  timezone="America/New_York")


def load(split: str | None = None, corpus: Path = CORPUS) -> list[tuple[str, str, str, str, ReadContext]]:
    """(split, type, spoken, expected, context) of each pair; a sixth column is the pair's own clock."""
    rows = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        row_split, kind, spoken, expected, _source, *now = line.split("\t")
        ctx = CTX
        if now:  # "2016-11-07T00:00:00 America/New_York": a wall clock and its zone
            wall, zone = now[0].split(" ")
            ctx = ReadContext(now=dt.datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone)), timezone=zone)
        if split in (None, row_split):
            rows.append((row_split, kind, spoken, expected, ctx))
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
            # rel_tol: the sources write 2/3 to 10 or 12 places
            return math.isclose(float(value), float(expected), rel_tol=1e-9)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    said = shown(kind, value, expected)
    wanted = expected.split("|")
    return said.casefold() in (w.casefold() for w in wanted)


def outcome(kind: str, spoken: str, expected: str, ctx: ReadContext = CTX) -> tuple[str, str]:
    """("right" | "wrong" | "nothing", what was read)."""
    try:
        read = read_value(kind, spoken, ctx)
    except Exception as error:  # a crash mid-call is the worst reading of all: counted and shown
        return "crash", f"{type(error).__name__}: {error}"
    if read is None:
        return ("right" if expected == "-" else "nothing"), "nothing"
    said = shown(kind, read.value, expected)
    if expected != "-" and matches(kind, read.value, expected):
        return "right", said
    return "wrong", said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=list(CORPORA), action="append",
                        help="which corpus (repeatable; default: all)")
    parser.add_argument("--split", choices=["dev", "held-out"])
    parser.add_argument("--misses", action="store_true", help="list every pair not read right")
    args = parser.parse_args()
    counts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    misses = []
    names = [name for name in args.corpus or CORPORA if CORPORA[name].exists()]
    for name in names:
        for split, kind, spoken, expected, ctx in load(args.split, CORPORA[name]):
            result, said = outcome(kind, spoken, expected, ctx)
            counts[(name, split, kind)][result] += 1
            if result != "right":
                misses.append(f"  {name:6} {split:8} {kind:8} {result:7} {spoken!r}: read {said}, expected {expected}")
    print(f"{'corpus':7}{'split':9}{'type':9}{'pairs':>6}{'right':>8}{'wrong':>7}{'nothing':>9}{'crash':>7}")
    for name in names:
        for split in ("dev", "held-out"):
            total: Counter[str] = Counter()
            for kind in TYPES:
                c = counts.get((name, split, kind))
                if not c:
                    continue
                total += c
                n = sum(c.values())
                print(f"{name:7}{split:9}{kind:9}{n:6}{100 * c['right'] / n:7.1f}%{c['wrong']:7}{c['nothing']:9}"
                      f"{c['crash']:7}")
            if total:
                n = sum(total.values())
                print(f"{name:7}{split:9}{'all':9}{n:6}{100 * total['right'] / n:7.1f}%{total['wrong']:7}"
                      f"{total['nothing']:9}{total['crash']:7}")
    if args.misses:
        print("\n".join(["", "misses:", *misses]))


if __name__ == "__main__":
    main()
