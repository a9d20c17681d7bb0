"""How well callers' speech is understood: the right value or action from synthesized audio turns.

    .venv/bin/python tests/benchmarks/speech_accuracy.py                       # the default engine, full set
    .venv/bin/python tests/benchmarks/speech_accuracy.py --engines pocketsphinx whisper:tiny.en \\
        --voices en-us --speeds 175                                             # a quick comparison
    .venv/bin/python tests/benchmarks/speech_accuracy.py --typed                # the ceiling: the same text typed

Every sentence of `speech_domains.CASES` (five agents: orders, clinic, insurance, restaurant,
utility) is synthesized by espeak-ng in several voices and speeds, then played as an `audio:` turn
clean, through an 8 kHz telephone band (sox: 300-3400 Hz, 8 kHz) and with light noise (white noise
at 20 dB SNR, seeded), into a real call in the state the case describes (typed turns first). A turn
is right when it starts exactly the expected action and gives exactly the expected values; a
value it gives that the caller did not say is a confident wrong value. Audio is generated into a
temporary folder and deleted.

Engines: `whisper[:MODEL[:COMPUTE]]` (MODEL base or tiny.en, COMPUTE int8 or float32),
`whisper-noprompt[...]` (the same without the agent's prompt), `pocketsphinx`. `--dump FILE` writes
one JSON line per utterance (transcript, confidence, word probabilities, the beam's wordings, outcome)
for calibrating the rule for how far a transcript is trusted; `--floor 0 --word-floor 0 --beam-support 0`
turn it off, so the dump shows every transcript's raw outcome, and `--replay DUMP` scores the rule (any
`--floor`, `--word-floor`, `--beam-support`) over what a dump heard, in seconds, without decoding again
(the engines are deterministic), and with `--again` it also synthesises the audio, so that a turn the call
asks to hear again (a value in doubt) is decoded again as callsim would;
`--window FRAMES` sets the shortest encoder input; `--load-runs N` measures the model load in N fresh
processes instead; `--order reverse --compare DUMP` runs the set backwards in this process and
reports any utterance heard differently from an earlier run's dump. The audio is the same in every
run (noise seeded from the sentence, sox without dither), so dumps compare utterance by utterance.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speech_domains import AGENTS, CASES, Case  # noqa: E402

from callsim.backends import build_backends  # noqa: E402
from callsim.config.project import load_project  # noqa: E402
from callsim.config.scenario import ScenarioConfig  # noqa: E402
from callsim.voice import heard as heard_values  # noqa: E402
from callsim.engine.clock import VirtualClock  # noqa: E402
from callsim.engine.session import CallSession  # noqa: E402
from callsim.trace.events import SpeechRecognized, TriggerMatched, VariableSet  # noqa: E402
from callsim.trace.trace import Trace  # noqa: E402
from callsim.voice import caller_audio as heard_turns  # noqa: E402
from callsim.voice.audio import SAMPLE_RATE, read_wav, to_pcm16  # noqa: E402
from callsim.voice.stt import Transcript  # noqa: E402

VOICES = ("en-us", "en-gb", "en-us+f3")
SPEEDS = (140, 175, 210)
CONDITIONS = ("clean", "8khz", "noise")
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)  # a Monday


def make_engine(spec: str, project: Any) -> Any:
    from callsim.voice.stt_sphinx import SphinxEngine, agent_grammar
    from callsim.voice.stt_whisper import WhisperEngine

    kind, *rest = spec.split(":")
    if kind == "pocketsphinx":
        return SphinxEngine(agent_grammar(project))
    model = rest[0] if rest else "base"
    compute = rest[1] if len(rest) > 1 else "int8"
    return WhisperEngine(model, compute, prompted=kind == "whisper")


class Heard:
    """An engine as the benchmark sees it: it keeps the last transcript (for the dump), and in a replay it
    hears what an earlier run's dump says was heard instead of decoding (the engines are deterministic, so
    the rule for how far a transcript is trusted can be tuned over a dump in seconds)."""

    def __init__(self, engine: Any, replay: dict[tuple, Transcript] | None = None) -> None:
        self.engine, self.replay = engine, replay
        self.name = engine.name if engine is not None else "replay"
        self.description, self.partial_every = self.name, 1.0
        self.key: tuple = ()
        self.last: Transcript | None = None
        self.heard_again: Transcript | None = None

    def recognizer(self, hints: Any = None) -> Any:
        inner = self.engine.recognizer(hints) if self.engine is not None else None
        outer = self

        class Recognizer:
            def accept(self, pcm: bytes) -> None:
                if inner is not None:
                    inner.accept(pcm)

            def partial(self) -> str:
                return ""

            def finish(self) -> Transcript:
                if outer.replay is None:
                    heard = inner.finish()  # type: ignore[union-attr]
                else:  # heard as the dump says; heard again (decoded) when the call asks, unless the dump says that too
                    heard = outer.replay[outer.key]
                    if heard.again is None and inner is not None and hasattr(inner, "hearing_again"):
                        heard = inner.hearing_again(heard)
                again = heard.again
                if again is not None:
                    def kept() -> Transcript:
                        outer.heard_again = again()
                        return outer.heard_again

                    heard = dataclasses.replace(heard, again=kept)
                outer.last = heard
                return heard

        return Recognizer()


# -- audio -------------------------------------------------------------------------------------------

def synthesise(text: str, voice: str, speed: int, condition: str, folder: Path) -> bytes:
    """16 kHz PCM of espeak-ng saying `text`, under a condition."""
    path = folder / f"{abs(hash((text, voice, speed)))}.wav"
    if not path.exists():
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True,
                       capture_output=True)
    if condition == "8khz":
        band = path.with_suffix(".8k.wav")
        if not band.exists():
            # -D: no dither, which is random, so the same sentence makes the same audio in every run
            subprocess.run(["sox", "-D", str(path), "-r", "8000", "-c", "1", "-b", "16", str(band), "sinc", "300-3400"],
                           check=True, capture_output=True)
        return read_wav(band)
    pcm = read_wav(path)
    if condition == "noise":
        import numpy as np

        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
        power = float(np.mean(samples ** 2)) or 1e-8
        rng = np.random.default_rng(zlib.crc32(text.encode()))  # str hashes change from process to process
        noise = rng.normal(0.0, (power / 10 ** (20 / 10)) ** 0.5, len(samples)).astype(np.float32)
        return to_pcm16(samples + noise)
    return pcm


# -- one utterance in a call ---------------------------------------------------------------------------

class Bench:
    """The projects (one per agent) and an engine for each, for one engine spec."""

    def __init__(self, spec: str | None, folder: Path, replay: dict[tuple, Transcript] | None = None,
                 again: bool = False) -> None:
        self.spec, self.folder = spec, folder
        self.projects: dict[str, Any] = {}
        self.engines: dict[str, Heard] = {}
        for name, (agent, actions) in AGENTS.items():
            (folder / name).mkdir(exist_ok=True)
            (folder / name / "agent.yaml").write_text(agent)
            (folder / name / "actions.yaml").write_text(actions)
            project = load_project(folder / name / "agent.yaml")
            self.projects[name] = project
            if spec is not None:
                engine = make_engine(spec, project) if not replay or again else None
                self.engines[name] = Heard(engine, replay)
                heard_turns.use_engine(project, self.engines[name])

    async def run(self, case: Case, pcm: bytes | None, key: tuple = ()) -> dict[str, Any]:
        project = self.projects[case.agent]
        clock = VirtualClock(START)
        routes = [{"match": f"GET https://bench.test/{name}", "json": {}} for name in project.actions]
        config = ScenarioConfig(scenario="bench", agent="agent.yaml", http=routes)
        trace = Trace()
        call = CallSession(project, clock=clock, backends=build_backends(config, clock), trace=trace)
        await call.start()
        for typed in case.before:
            await call.caller_says(typed)
        mark = len(trace.events)
        started, cpu = time.perf_counter(), time.process_time()
        engine = self.engines.get(case.agent)
        if engine is not None:
            engine.key, engine.last, engine.heard_again = key, None, None
        if pcm is None:
            await call.caller_says(case.said)
        else:
            wav = self.folder / "turn.wav"
            import wave

            with wave.open(str(wav), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(SAMPLE_RATE)
                out.writeframes(pcm)
            await heard_turns.caller_audio(call, wav.name, self.folder)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        events = trace.events[mark:]
        hearings = [e for e in events if isinstance(e, SpeechRecognized)]
        heard = hearings[0] if hearings else None
        actions = {e.action for e in events if isinstance(e, TriggerMatched)}
        values = {e.name: e.value for e in events if isinstance(e, VariableSet) and e.source == "caller"}
        expected_actions = {case.action} if case.action else set()
        wrong_values = {k: v for k, v in values.items() if case.values.get(k, object()) != v}
        last = engine.last if engine is not None and engine.last is not None else Transcript("")
        return {"case": case.id, "said": case.said, "heard": heard.text if heard else case.said,
                "heard_again": hearings[1].text if len(hearings) > 1 else None,
                "again": None if engine is None or engine.heard_again is None else heard_as(engine.heard_again),
                "confidence": heard.confidence if heard else None, "note": heard.note if heard else None,
                "words": last.words, "hypotheses": last.hypotheses,
                "actions": sorted(actions), "values": values, "seconds": seconds, "cpu": cpu,
                "right": actions == expected_actions and values == case.values,
                "wrong_value": bool(wrong_values), "wrong_action": bool(actions - expected_actions),
                "refused": not actions and not values and bool(expected_actions or case.values)}


# -- the whole set ---------------------------------------------------------------------------------------

def run_set(spec: str | None, voices: list[str], speeds: list[int], conditions: list[str], cases: list[Case],
            folder: Path, dump: Any = None, order: str = "forward",
            replay: dict[tuple, Transcript] | None = None, again: bool = False) -> list[dict[str, Any]]:
    started = time.perf_counter()
    bench = Bench(spec, folder, replay, again)
    load = time.perf_counter() - started
    items = [(case, voice, speed, condition) for case in cases for voice in voices for speed in speeds
             for condition in conditions]
    if spec is None:
        items = [(case, "typed", 0, "typed") for case in cases]
    if order == "reverse":
        items.reverse()
    results = []
    for case, voice, speed, condition in items:
        key = (spec, case.id, voice, speed, condition)
        if replay is not None and key not in replay:
            continue
        pcm = None if spec is None else b"\0\0" if replay and not again else \
            synthesise(case.said, voice, speed, condition, folder)
        result = asyncio.run(bench.run(case, pcm, key))
        result.update(engine=spec or "typed", voice=voice, speed=speed, condition=condition)
        results.append(result)
        if dump is not None:
            dump.write(json.dumps(result, default=str) + "\n")
            dump.flush()
    if results:
        results[0]["load_seconds"] = load
    return results


def report(results: list[dict[str, Any]]) -> None:
    by: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in results:
        by.setdefault((r["engine"], r["condition"]), []).append(r)
        by.setdefault((r["engine"], "all"), []).append(r)
        if r["engine"] != "typed":
            by.setdefault((r["engine"], f"{r['speed']}wpm"), []).append(r)
            by.setdefault((r["engine"], r["voice"]), []).append(r)
    print(f"{'engine':34} {'audio':8} {'n':>5} {'right':>7} {'wrong value':>12} {'wrong action':>13} "
          f"{'refused':>8} {'s/turn':>7} {'cpu s':>6}")
    for (engine, condition), rows in sorted(by.items()):
        n = len(rows)
        count = Counter()
        for r in rows:
            count.update(k for k in ("right", "wrong_value", "wrong_action", "refused") if r[k])
        per_turn = statistics.median(r["seconds"] for r in rows)
        cpu = statistics.median(r["cpu"] for r in rows)
        print(f"{engine:34} {condition:8} {n:5} {count['right'] / n:7.1%} {count['wrong_value'] / n:12.1%} "
              f"{count['wrong_action'] / n:13.1%} {count['refused'] / n:8.1%} {per_turn:7.2f} {cpu:6.2f}")


LOAD = """\
import sys, time
wall, cpu = time.perf_counter(), time.process_time()
from callsim.voice.stt_whisper import WhisperEngine
engine = WhisperEngine(*sys.argv[1:])
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def load_times(spec: str, runs: int) -> None:
    """Model load in a fresh process (import, reading and hash-checking the packages, int8 conversion)."""
    _, *rest = spec.split(":")
    walls, cpus = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", LOAD, *rest], capture_output=True, text=True, check=True)
        wall, cpu = map(float, done.stdout.split())
        walls.append(wall)
        cpus.append(cpu)
    print(f"{spec} load in a fresh process: median {statistics.median(walls):.2f} s wall (min {min(walls):.2f}), "
          f"{statistics.median(cpus):.2f} s CPU, {runs} runs")


def compare(results: list[dict[str, Any]], other: Path) -> None:
    """Utterances heard differently in another run (transcript, confidence, word probabilities, beam; not the
    verdict, which a rule or reader changed since may move): determinism across orders and process layouts."""
    key = ("engine", "case", "voice", "speed", "condition")
    heard = ("heard", "confidence", "words", "hypotheses")
    before = {tuple(r[k] for k in key): r for r in map(json.loads, other.read_text().splitlines())}
    common = [r for r in results if tuple(r[k] for k in key) in before]
    # through JSON, as the other run's dump was, so tuples and lists compare alike
    differ = [r for r in common if json.loads(json.dumps([r.get(k) for k in heard]))
              != [before[tuple(r[k] for k in key)].get(k) for k in heard]]
    print(f"compared with {other}: {len(common)} utterances in both, {len(differ)} heard differently")
    for r in differ:
        print(f"  {r['case']!r} {r['voice']} {r['speed']} {r['condition']}: {r['heard']!r} ({r['confidence']})")


def heard_as(transcript: Transcript) -> dict[str, Any]:
    """A transcript as a dump keeps it."""
    return {"heard": transcript.text, "confidence": transcript.confidence, "words": transcript.words,
            "hypotheses": transcript.hypotheses}


def transcript_of(row: dict[str, Any]) -> Transcript:
    """A transcript as a dump kept it, heard again as the dump says when it was."""
    again = row.get("again")
    return Transcript(row["heard"], row["confidence"], words=tuple((w, p) for w, p in row.get("words", ())),
                      hypotheses=tuple((t, p) for t, p in row.get("hypotheses", ())),
                      again=None if again is None else lambda: transcript_of(again))


def replayed(dump: Path) -> dict[str, dict[tuple, Transcript]]:
    """What each engine of a dump heard, by (engine, case, voice, speed, condition)."""
    heard: dict[str, dict[tuple, Transcript]] = {}
    for row in map(json.loads, dump.read_text().splitlines()):
        if row["engine"] != "typed":
            key = (row["engine"], row["case"], row["voice"], row["speed"], row["condition"])
            heard.setdefault(row["engine"], {})[key] = transcript_of(row)
    return heard


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", nargs="*", default=["whisper"])
    parser.add_argument("--voices", nargs="+", default=list(VOICES))
    parser.add_argument("--speeds", nargs="+", type=int, default=list(SPEEDS))
    parser.add_argument("--conditions", nargs="+", default=list(CONDITIONS))
    parser.add_argument("--limit", type=int, help="only the first N cases")
    parser.add_argument("--only", help="only the cases whose agent or words contain this")
    parser.add_argument("--typed", action="store_true", help="also run the sentences typed (the ceiling)")
    parser.add_argument("--floor", type=float, help="the confidence floor (default: callsim's)")
    parser.add_argument("--window", type=int, help="the shortest encoder input in 10 ms frames (default: callsim's; "
                                                   "3000 pads every utterance to 30 s as Whisper was trained)")
    parser.add_argument("--word-floor", type=float, help="the word probability floor (default: callsim's)")
    parser.add_argument("--beam-support", type=float, help="the share of the beam a value needs (default: callsim's)")
    parser.add_argument("--replay", type=Path, help="hear what a dump of an earlier run heard instead of decoding "
                                                     "(to tune --floor and --word-floor in seconds)")
    parser.add_argument("--again", action="store_true", help="with --replay: synthesise the audio too, so that a "
                                                              "turn the call asks to hear again is decoded again")
    parser.add_argument("--order", choices=("forward", "reverse"), default="forward")
    parser.add_argument("--dump", type=Path, help="write one JSON line per utterance here")
    parser.add_argument("--show", action="store_true", help="print every utterance that was not right")
    parser.add_argument("--load-runs", type=int, default=0, help="measure the model load N times and stop")
    parser.add_argument("--compare", type=Path, help="a dump of another run (another order, another process): "
                                                      "report every utterance heard differently")
    args = parser.parse_args()
    if args.floor is not None:
        heard_turns.MIN_CONFIDENCE = args.floor
    if args.word_floor is not None:
        heard_values.MIN_WORD_PROBABILITY = args.word_floor
    if args.beam_support is not None:
        heard_values.MIN_VALUE_SUPPORT = args.beam_support
    if args.window is not None:
        from callsim.voice import stt_whisper

        stt_whisper.MIN_ENCODED_FRAMES = args.window
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    if args.load_runs:
        for spec in args.engines:
            load_times(spec, args.load_runs)
        return
    cases = [c for c in CASES if not args.only or args.only in c.id][: args.limit]
    results: list[dict[str, Any]] = []
    dump = args.dump.open("w") if args.dump else None
    with tempfile.TemporaryDirectory(prefix="callsim-speech-") as tmp:
        if args.typed:
            results += run_set(None, [], [], [], cases, Path(tmp), dump)
        replays = replayed(args.replay) if args.replay else {}
        for spec in (sorted(replays) if args.replay else args.engines):
            rows = run_set(spec, args.voices, args.speeds, args.conditions, cases, Path(tmp), dump, args.order,
                           replays.get(spec), args.again)
            print(f"{spec}: engine and projects ready in {rows[0]['load_seconds']:.2f}s")
            results += rows
    if args.show:
        for r in results:
            if not r["right"]:
                print(f"  {r['engine']} {r['voice']} {r['speed']} {r['condition']}: {r['case']!r} heard "
                      f"{r['heard']!r} ({r['confidence']}) -> actions {r['actions']} values {r['values']}")
    report(results)
    if args.compare:
        compare(results, args.compare)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
