"""How validate answers one indentation mistake: every content line of the example files, indented one
step (2 spaces) or one space more or less, loaded as `callsim validate` loads it.

For each mistake that makes the file invalid it counts how many errors were reported and whether the
first one points at the line to fix (its line, or names it). Not a timing: the figures do not depend
on the machine. Run from the repository root:

    .venv/bin/python tests/benchmarks/one_indent_mistake.py [--show N]
    PYTHONPATH=/path/to/other/src .venv/bin/python tests/benchmarks/one_indent_mistake.py   # another checkout
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors

ROOT = Path(__file__).resolve().parents[2]
CASES = [  # (example folder, a scenario in it, the files whose lines are re-indented)
    ("acme", "order_status_spoken_digits.yaml", ["actions.yaml", "agent.yaml", "order_status_spoken_digits.yaml"]),
    ("booking", "cancel_appointment.yaml", ["actions.yaml", "agent.yaml", "cancel_appointment.yaml"]),
    ("telephony", "warm_transfer_with_whisper.yaml", ["actions.yaml", "warm_transfer_with_whisper.yaml"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print the first N mistakes answered by several errors")
    shown = parser.parse_args().show
    errors, pointed, broken = Counter(), 0, 0
    cpu = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pyproject.toml").write_text("")
        for folder, scenario, targets in CASES:
            copy = Path(tmp) / folder
            shutil.copytree(ROOT / "scenarios" / folder, copy)
            for target in targets:
                text = (copy / target).read_text()
                lines = text.split("\n")
                for index, line in enumerate(lines):
                    if not line.strip() or line.lstrip().startswith("#"):
                        continue
                    indent = len(line) - len(line.lstrip(" "))
                    for step in (-2, 2, -1, 1):
                        if indent + step < 0:
                            continue
                        changed = lines.copy()
                        changed[index] = " " * (indent + step) + line.lstrip(" ")
                        (copy / target).write_text("\n".join(changed))
                        try:
                            load_scenario(copy / scenario)
                            continue
                        except ConfigErrors as problem:
                            found = problem.errors
                        finally:
                            (copy / target).write_text(text)
                        broken += 1
                        errors[min(len(found), 3)] += 1
                        first = found[0]
                        number = index + 1
                        if (first.position and first.position.file.endswith(target) and first.position.line == number) \
                                or f"line {number} " in first.hint:
                            pointed += 1
                        if len(found) > 1 and shown:
                            shown -= 1
                            print(f"{folder}/{target}:{number} {step:+d}:", *(f"\n    {e}" for e in found))
    print(f"{broken} one-line indentation mistakes that make a file invalid")
    print(f"  answered by one error: {errors[1]}, two: {errors[2]}, three or more: {errors[3]}")
    print(f"  first error at (or naming) the line to fix: {pointed} ({pointed / broken:.0%})")
    print(f"  CPU: {time.process_time() - cpu:.1f} s")


if __name__ == "__main__":
    main()
