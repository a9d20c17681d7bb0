"""Explain scenario results to people (failure panels) and to CI (JUnit XML)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from callsim.errors import ConfigError
from callsim.terminal import markup, printable
from callsim.runner import ScenarioResult
from callsim.trace.timeline import MAX_SHOWN, excerpt, shorten


def explain(result: ScenarioResult) -> str:
    """A failed scenario in plain text: each unmet expectation, what happened instead, and the timeline around it."""
    parts = [f"scenario '{result.title}' failed ({result.scenario.file})"]
    # the error first: it is why the call ended early, and so why the expectations after it failed
    for error in result.errors:
        parts.append(f"\nthe call stopped with an error: {error.message}")
        parts.extend("    " + line for line in excerpt(result.trace.events[: error.seq], limit=8))
        if result.failures:
            parts.append("  (the failures below may only follow from it)")
    for item in result.failures:
        parts.append(f"\n{item.position}: expected {item.failure.expected} ({item.moment})\n"
                     f"  instead: {item.failure.instead}")
        if item.expectation is not None:
            parts.append(f"  expectation: {item.describe()}")
        if item.hint:
            parts.append(f"  hint: {item.hint}")
        parts.append("  timeline:")
        parts.extend("    " + line for line in excerpt(item.failure.events))
    if result.crash:
        parts.append("\ncallsim crashed (a bug in callsim, please report it):\n" + result.crash)
    if result.record_path:
        parts.append(f"\nfull trace: {result.record_path} (callsim show {result.record_path} -d: with headers and "
                     "bodies)")
    else:
        parts.append(f"\nthe whole call: callsim run {result.scenario.file} -v; its trace: add --record DIR "
                     "(pytest: --callsim-record DIR), then callsim show the .jsonl file")
    # an expectation may quote a secret the call sent; a line may quote a megabyte the caller said
    # (a timeline line is already cut to MAX_SHOWN; a line that quotes one among other things gets twice that)
    # (pytest and JUnit show it as it is: control characters a caller or a server sent are written as escapes)
    return printable(result.trace.redact("\n".join(shorten(line, 2 * MAX_SHOWN) for part in parts
                                                   for line in part.split("\n"))))


def print_failure(console: Console, result: ScenarioResult) -> None:
    text = markup(explain(result))
    first, _, rest = text.partition("\n")
    # soft wrap: `file:line:col` lines stay whole for copying, grepping and editors' jump-to-line
    console.print(f"[bold red]FAIL[/bold red] [bold]{first}[/bold]", soft_wrap=True)
    console.print(rest.replace("instead:", "[red]instead:[/red]").replace("expected ", "[yellow]expected[/yellow] ", 1),
                  soft_wrap=True)
    console.print()


def write_junit(path: Path, results: Sequence[ScenarioResult], invalid: Sequence[ConfigError]) -> None:
    """A JUnit XML report: one testcase per scenario, one error per invalid file."""
    import xml.etree.ElementTree as ET  # loaded only when a report is asked for

    failures = sum(1 for r in results if r.failures or r.errors)
    errors = sum(1 for r in results if r.crash) + len(invalid)
    suite = ET.Element("testsuite", name="callsim", tests=str(len(results) + len(invalid)),
                       failures=str(failures), errors=str(errors),
                       time=f"{sum(r.wall_time for r in results):.3f}")
    for result in results:
        case = ET.SubElement(suite, "testcase", classname=str(result.scenario.file.parent).replace("/", "."),
                             name=result.title, file=str(result.scenario.file),
                             time=f"{result.wall_time:.4f}")
        if result.crash:
            ET.SubElement(case, "error", message="callsim crashed").text = explain(result)
        elif not result.passed:
            first = result.failures[0].failure.expected if result.failures else result.errors[0].message
            ET.SubElement(case, "failure", message=f"expected {first}").text = explain(result)
    for problem in invalid:
        case = ET.SubElement(suite, "testcase", classname="callsim.validate",
                             name=str(problem.position or "invalid file"))
        ET.SubElement(case, "error", message=str(problem)).text = str(problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
