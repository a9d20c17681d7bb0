"""Matching by meaning in the CLI: `validate` warns about actions too close to tell apart, `--coverage`
names what turns reached by meaning."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios" / "semantic"

TWINS = """\
  cancel_the_order:
    type: http
    trigger: {phrases: ["cancel the order", "stop the order"]}
    request: {url: "https://api.test/cancel"}
"""


def with_meaning(project, actions: str, *names: str) -> None:
    """The project's agent matches by meaning, with these actions (YAML under `actions:`) beside lookup_order."""
    attached = ", ".join(("lookup_order", *names))
    project.edit("agent.yaml", "actions: [lookup_order]", f"semantic: true\nactions: [{attached}]")
    project.write("actions.yaml", project.actions.read_text() + actions)


def test_validate_warns_about_two_actions_too_close_to_tell_apart_by_meaning(cli, project):
    with_meaning(project, """\
  cancel_order:
    type: http
    trigger: {phrases: ["cancel my order", "stop my order"]}
    request: {url: "https://api.test/cancel"}
""" + TWINS, "cancel_order", "cancel_the_order")

    done = cli("validate", ".")

    assert done.exit_code == 0, done.output
    assert "warning: actions cancel_order and cancel_the_order mean nearly the same" in done.stderr
    assert "lookup_order" not in done.stderr  # an action with another meaning is not named
    assert "description:" in done.stderr  # and it says how to fix it


def test_validate_warns_about_two_actions_whose_descriptions_say_the_same(cli, project):
    with_meaning(project, """\
  transfer_support:
    type: http
    trigger: {phrases: ["technical problem", "app is broken"], description: The caller wants to speak to a person.}
    request: {url: "https://api.test/support"}
  transfer_billing:
    type: http
    trigger: {phrases: ["billing question", "charged twice"], description: The caller wants to speak to a person.}
    request: {url: "https://api.test/billing"}
""", "transfer_support", "transfer_billing")

    done = cli("validate", ".")

    assert done.exit_code == 0, done.output
    assert ("warning: actions transfer_support and transfer_billing have descriptions that say nearly the same (1.00 "
            "similar, warned from 0.85)") in done.stderr
    assert "mean nearly the same" not in done.stderr  # their phrases tell them apart; the descriptions do not


def test_validate_says_nothing_of_meaning_when_the_agent_matches_by_words_only(cli, project):
    project.write("actions.yaml", project.actions.read_text() + TWINS.replace("cancel_the_order", "cancel_order")
                  + TWINS)
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, cancel_order, cancel_the_order]")

    done = cli("validate", ".")

    assert done.exit_code == 0 and "warning" not in done.output, done.output


def test_coverage_lists_what_turns_reached_by_meaning(cli):
    done = cli("run", EXAMPLES, "--coverage")

    assert done.exit_code == 0, done.output
    # "we need forty more debit cards" reaches order_cards by its phrase "more cards" said with "debit" inside it
    assert "reached by meaning 5/19" in done.stdout
    assert "reached by meaning: change_address example 'I moved house' (1 turn)" in done.stdout
    assert "never reached by meaning: block_card description" in done.stdout


MISSED = """\
scenario: a paraphrase meaning does not reach
agent: agent.yaml
http:
  - {match: POST https://api.harbor.test/cards/block, json: {ok: true}}
turns:
  - caller: my plastic is gone, I think it fell out on the bus
  - expect: {action: block_card}
"""


def test_a_request_meaning_did_not_reach_fails_naming_the_nearest_action_its_score_and_why(cli, tmp_path):
    for name in ("agent.yaml", "actions.yaml"):
        (tmp_path / name).write_text((EXAMPLES / name).read_text())
    (tmp_path / "missed.yaml").write_text(MISSED)

    done = cli("run", tmp_path / "missed.yaml")

    assert done.exit_code == 1, done.output
    assert ("no action by meaning: nearest block_card 'lost my card' (0.230, runner-up change_address 0.228), "
            "below the threshold 0.3; every clause is small talk, 'my plastic is gone' the nearest to an action"
            ) in " ".join(done.stdout.split())


def test_coverage_lists_the_turns_that_got_the_fallback_with_the_action_meaning_came_nearest(cli, tmp_path):
    for name in ("agent.yaml", "actions.yaml"):
        (tmp_path / name).write_text((EXAMPLES / name).read_text())
    (tmp_path / "missed.yaml").write_text(MISSED)

    done = cli("run", tmp_path / "missed.yaml", "--coverage")

    assert ("fallback, meaning fired nothing: 'my plastic is gone, I think it fell out on the bus' (nearest block_card "
            "0.230, below the threshold 0.3; every clause is small talk, 'my plastic is gone' the nearest to an action)"
            ) in " ".join(done.stdout.split())


def test_validate_reads_the_meanings_from_the_cache_and_never_loads_the_model_for_them(cli, project, monkeypatch,
                                                                                      tmp_path):
    from callsim.engine import embedding, semantic

    monkeypatch.setenv(embedding.CACHE_ENV, str(tmp_path / "cache"))
    project.edit("agent.yaml", "actions: [lookup_order]", "semantic: true\nactions: [lookup_order]")
    assert cli("validate", ".").exit_code == 0  # the first one computes the vectors (and keeps them)
    loads: list[str] = []
    monkeypatch.setattr(embedding, "embedder", lambda: loads.append("embedder"))
    monkeypatch.setattr(semantic, "embedder", lambda: loads.append("embedder"))
    monkeypatch.setattr(semantic, "preload", lambda: loads.append("preload"))

    done = cli("validate", ".")

    assert done.exit_code == 0, done.output
    assert loads == []  # ~90 MB a validate does not need
    cli("run", "scenario.yaml")
    assert loads and set(loads) == {"preload"}  # a call will need it: it starts loading with the call
