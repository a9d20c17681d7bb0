"""Build tests/readers/itn_corpus2.tsv, a second spoken -> typed value corpus from sources other than NeMo.

The first corpus (itn_corpus.tsv) comes from NeMo's inverse text normalization tests; the readers were
tuned on its dev half. This one checks that what they learnt carries to other projects' test data:

- facebook/duckling (BSD-3-Clause), Duckling/{Numeral,Ordinal,AmountOfMoney,Email,Time}/EN/Corpus.hs and
  Duckling/PhoneNumber/Corpus.hs: each `examples (VALUE) ["said", ...]`, on Duckling's test clock
  (2013-02-12 04:30 at UTC-2);
- microsoft/Recognizers-Text (MIT), Specs/Number/English/{NumberModel,OrdinalModel}.json,
  Specs/Sequence/English/{EmailModel,PhoneNumberModel}.json, Specs/DateTime/English/DateTimeModel.json:
  each input with exactly one result (a number model input with none is "no number"), on the spec's own
  ReferenceDateTime, read in America/New_York;
- wenet-e2e/WeTextProcessing (Apache-2.0), itn/english/test/data/en_*.txt (spoken => written), left out
  where the spoken form is already in itn_corpus.tsv (WeTextProcessing's English grammar is a port of
  NeMo's, and so are many of its tests).

Each pair is mapped to a callsim type and value as itn_corpus_build.py does (money, ordinals, decimals are
`number`; a phone number is `phone` in E.164 for the US when it is a valid number, and its digits as
`digits`; a day is `date`; a clock time is `time`, either half of the day when the words do not say which;
a Recognizers date-time is `datetime`). What is dropped, and why, is in DROPPED below and in the skip rules:
ranges and bounds ("between 10 and 20 dollars", "under seven euros": no one amount), vague counts ("a few":
Duckling's 3 is a convention, not what was said), intervals, weeks, quarters and holidays' periods (no one
day or time), lakh/crore and non-English words (another locale), amounts in currencies callsim does not
name and unit words with no number, Recognizers' relative ordinals ("last", "next one").

The split is fixed before anything is read: half the pairs, by a hash of the spoken text, are held out.

Usage: python tests/benchmarks/itn_corpus2_build.py DUCKLING_REPO RECOGNIZERS_REPO WETEXT_REPO \\
           > tests/readers/itn_corpus2.tsv
(each a checkout or a bare git directory; files are read at HEAD).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from itn_corpus_build import date as nemo_date, digits as nemo_digits, email as nemo_email  # noqa: E402
from itn_corpus_build import number as nemo_number, time as nemo_time  # noqa: E402

ZONE = "America/New_York"
DUCKLING_NOW = dt.datetime(2013, 2, 12, 4, 30, tzinfo=ZoneInfo("Etc/GMT+2"))  # UTC-2, as Duckling's tests
DROPPED = {
    # Duckling idioms no caller means as a value of the type
    "ATM", "at this time", "Thu 15th", "at the moment", "just now", "a couple of", "a dozen of",
    "single", "nil", "naught", "nought", "0033", "forty-five (45)", "45 (forty five)", "01.10",
    ".0012G", "-.0012G", "1200k", "3000K", "-1200K", "three thousand millions",
}
DUCKLING_NO_TIME = ["laughing out loud", "1 adult", "we are separated", "this is the one", "this one",
                    "at single", "at a couple of", "at pairs", "at a few", "at dozens", "dozens o'clock",
                    "at 650.650.6500", "at 650-650-6500", "two sixty a m", "Pay ABC 2000", "palm", "A4 A5"]
"""Duckling's negative time corpus, without the bare numbers ("25", "three twenty", "3 30", "two three"):
said to a slot that asked for a time, those are times."""
VAGUE = re.compile(r"\bfew\b", re.I)
"""A few: Duckling's 3 ("in a few minutes" is 3 minutes on) is its convention, not what was said."""
OTHER_LOCALE = re.compile(r"\b(lakh|lakhs|lkh|lkhs|lac|crore|crores|cr|koti|krores|kr|l|g)\b", re.I)
NOT_SPEECH = re.compile(r"\^|\d[eE][+-]?\d|\d\s*G\b|\dMM\b|\d,\d\d,\d{3}|\b\d,\d\b|[⅓⅔¼½¾]|SCP-")
"""Written forms no speech transcript has: scientific notation, SI prefixes, Indian digit grouping, a decimal
comma, vulgar fraction characters, a code name."""
DAYS_AWAY = re.compile(r"\b(days?|weeks?|fortnight|months?|years?)\b.*\b(ago|hence|from now)\b", re.I)
HALF_SAID = re.compile(r"\d\s*[ap]\.?\s?m\b|\b[ap]\.?\s?m\b|\b[ap]\b|morning|afternoon|evening|night|noon|midnight|"
                       r"\b\d{1,2}h|\b(1[3-9]|2[0-3]|00)[:h.]?\d\d|\bnow\b|ago\b|^\s*in\b|hence|from now|"
                       r"later|lunch|dinner|breakfast|\b(1[3-9]|2[0-3]):", re.I)
US_HOLIDAYS = {"Black Friday", "Christmas", "Easter Sunday", "Halloween", "Martin Luther King's Day", "New Year's Day",
               "New Year's Eve", "St Patrick's Day", "Thanksgiving Day", "Valentine's Day"}
"""Holidays a caller in the US books around; Duckling's others follow lunar, Hindu, Islamic, Jewish or Orthodox
calendars or other countries (Diwali, Eid al-Fitr, Yom Kippur, King's Day): out of callsim's scope, left out."""
MONEY_UNITS = {"Dollar", "Cent", "USD", "EUR", "Pound", "GBP", "Unnamed", "INR"}


def git_show(repo: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], check=True, capture_output=True,
                          text=True).stdout


def _strings(body: str) -> list[str]:
    """The Haskell string literals in a list body, with their escapes read ("\\x20ac", "\\&")."""
    found = []
    for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', body):
        text = re.sub(r"\\x([0-9a-fA-F]+)", lambda m: chr(int(m[1], 16)), literal).replace("\\&", "")
        found.append(text.replace('\\"', '"'))
    return found


def duckling_examples(source: str) -> list[tuple[str, list[str]]]:
    """(value expression, spoken forms) of each `examples (VALUE) [...]` in a Duckling corpus."""
    found = []
    for start in (m.end() for m in re.finditer(r"examples\s*\(", source)):
        depth, at = 1, start
        while depth:
            depth += {"(": 1, ")": -1}.get(source[at], 0)
            at += 1
        value = " ".join(source[start:at - 1].split())
        open_at = source.index("[", at)
        close_at = source.index("]", open_at)
        found.append((value, _strings(source[open_at + 1:close_at])))
    return found


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(float(f"{value:.12g}"))  # 1e-12 stays 1e-12


def half_day_times(hour: int, minute: int, second: int | None, said: str) -> str:
    """HH:MM[:SS], or both halves of the day when the words do not say which ("at 7" is 07:00 or 19:00)."""
    hours = [hour]
    if not HALF_SAID.search(said):
        hours = sorted({hour % 12, hour % 12 + 12})
    shape = "%H:%M:%S" if second else "%H:%M"
    return "|".join(dt.time(h, minute, second or 0).strftime(shape) for h in hours)


def duckling(repo: Path) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    now = f"{DUCKLING_NOW.replace(tzinfo=None).isoformat()} {DUCKLING_NOW.tzinfo}"

    def add(kind: str, said: str, value: str | None, source: str) -> None:
        if value is not None and said not in DROPPED and not OTHER_LOCALE.search(said) and not VAGUE.search(said) \
                and not (kind == "number" and NOT_SPEECH.search(said)):
            rows.append((kind, said, value, f"duckling/{source}", now))

    for value, said in duckling_examples(git_show(repo, "Duckling/Numeral/EN/Corpus.hs")):
        number = re.fullmatch(r"NumeralValue \(?(-?[\d.e]+)\)?", value)
        for text in said if number else []:
            add("number", text, _number_text(float(number[1])), "Numeral/EN")
    for value, said in duckling_examples(git_show(repo, "Duckling/Ordinal/EN/Corpus.hs")):
        number = re.fullmatch(r"OrdinalData (\d+)", value)
        for text in said if number else []:
            add("number", text, number[1], "Ordinal/EN")
    for value, said in duckling_examples(git_show(repo, "Duckling/AmountOfMoney/EN/Corpus.hs")):
        money = re.fullmatch(r"simple (\w+) \(?([\d.e]+)\)?", value)
        if not money or money[1] not in MONEY_UNITS:
            continue  # ranges, bounds and currencies callsim's number reader does not name
        amount = float(money[2]) / (100 if money[1] == "Cent" else 1)
        for text in said:
            add("number", text, _number_text(amount), "AmountOfMoney/EN")
    for value, said in duckling_examples(git_show(repo, "Duckling/Email/EN/Corpus.hs")):
        address = re.fullmatch(r'EmailData "(.*)"', value)
        for text in said if address else []:
            add("email", text, address[1].lower(), "Email/EN")
    for value, said in duckling_examples(git_show(repo, "Duckling/PhoneNumber/Corpus.hs")):
        number = re.fullmatch(r'PhoneNumberValue "(?:\(\+(\d+)\) )?(\d+)"', value)
        for text in said if number else []:
            add("digits", text, (number[1] or "") + number[2], "PhoneNumber")
            e164 = _e164(("+" + number[1] if number[1] else "") + number[2])
            if e164:
                add("phone", text, e164, "PhoneNumber")
    time_corpus = git_show(repo, "Duckling/Time/EN/Corpus.hs")
    time_corpus = re.sub(r"diffContext ::.*?(?=allExamples ::)", "", time_corpus, flags=re.S)  # another clock
    for value, said in duckling_examples(time_corpus):
        moment = re.fullmatch(r"datetime(?:Holiday)? \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\) (\w+)(?: \"(.*)\")?",
                              value)
        if not moment or (moment[8] and moment[8] not in US_HOLIDAYS):
            continue  # intervals (no one day or time), holidays of other calendars and countries
        year, month, day, hour, minute, second = (int(moment[i]) for i in range(1, 7))
        grain = moment[7]
        for text in said:
            if DAYS_AWAY.search(text) and grain != "Day":
                continue  # "7 days ago" at 4:30: a day, not a clock time
            if grain == "Day":
                add("date", text, dt.date(year, month, day).isoformat(), "Time/EN")
            elif grain in ("Month", "Year"):
                add("date", text, "-", "Time/EN")  # a month or a year: no day named
            elif grain in ("Hour", "Minute", "Second"):
                add("time", text, half_day_times(hour, minute, second, text), "Time/EN")
    for text in DUCKLING_NO_TIME:
        rows.append(("time", text, "-", "duckling/Time/EN negative", now))
    return rows


def _e164(digits: str) -> str | None:
    try:
        number = phonenumbers.parse(digits, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def recognizers(repo: Path) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    default_now = f"2016-11-07T00:00:00 {ZONE}"

    def spec(path: str) -> list[dict]:
        return json.loads(git_show(repo, path).lstrip("\ufeff"))

    for case in spec("Specs/Number/English/NumberModel.json"):
        results = case.get("Results", [])
        if NOT_SPEECH.search(case["Input"]):
            continue
        if len(results) == 1 and results[0]["TypeName"] == "number":
            rows.append(("number", case["Input"], _number_text(float(results[0]["Resolution"]["value"])),
                         "recognizers/Number/NumberModel", default_now))
        elif not results:
            rows.append(("number", case["Input"], "-", "recognizers/Number/NumberModel", default_now))
    for case in spec("Specs/Number/English/OrdinalModel.json"):
        results = case.get("Results", [])
        if len(results) == 1 and results[0]["TypeName"] == "ordinal" \
                and results[0]["Resolution"].get("relativeTo") == "start":
            rows.append(("number", case["Input"], results[0]["Resolution"]["value"],
                         "recognizers/Number/OrdinalModel", default_now))
    for case in spec("Specs/Sequence/English/EmailModel.json"):
        results = case.get("Results", [])
        value = results[0]["Resolution"]["value"].lower() if len(results) == 1 else "-" if not results else None
        if value is not None:
            rows.append(("email", case["Input"], value, "recognizers/Sequence/EmailModel", default_now))
    for case in spec("Specs/Sequence/English/PhoneNumberModel.json"):
        results = case.get("Results", [])
        if len(results) == 1:
            said = results[0]["Resolution"]["value"]
            digits = re.sub(r"\D", "", said)
            e164 = _e164(("+" if said.lstrip().startswith("+") else "") + digits)
            if e164:  # most are made-up numbers no phone could dial: no phone, and no test of the reader's
                rows.append(("phone", case["Input"], e164, "recognizers/Sequence/PhoneNumberModel", default_now))
            if not re.search(r"\d", case["Input"].replace(results[0]["Text"], " ")) \
                    and not re.search(r"x|ext", said, re.I):  # an extension: digits of another kind
                rows.append(("digits", case["Input"], digits, "recognizers/Sequence/PhoneNumberModel", default_now))
    for case in spec("Specs/DateTime/English/DateTimeModel.json"):
        results = case.get("Results", [])
        reference = case.get("Context", {}).get("ReferenceDateTime")
        if len(results) != 1 or not reference or case.get("NotSupported", "").find("dotnet") >= 0:
            continue
        now = f"{reference} {ZONE}"
        kind = {"datetimeV2.date": "date", "datetimeV2.time": "time",
                "datetimeV2.datetime": "datetime"}.get(results[0]["TypeName"])
        values = [v.get("value") for v in results[0]["Resolution"].get("values", [])]
        if kind is None or not values or None in values:
            continue
        if values == ["not resolved"]:  # "feb 30": a date said that no calendar has
            rows.append((kind, case["Input"], "-", "recognizers/DateTime/DateTimeModel", now))
            continue
        if kind == "time":
            said = [half_day_times(int(v[:2]), int(v[3:5]), int(v[6:8]) or None, results[0]["Text"]) for v in values]
            expected = "|".join(dict.fromkeys("|".join(said).split("|")))
        elif kind == "datetime":
            expected = "|".join(dict.fromkeys(
                dt.datetime.fromisoformat(v).replace(tzinfo=ZoneInfo(ZONE)).isoformat() for v in values))
        else:
            expected = "|".join(dict.fromkeys(values))
        rows.append((kind, case["Input"], expected, "recognizers/DateTime/DateTimeModel", now))
    return rows


WETEXT = {"cardinal": ("number", nemo_number), "decimal": ("number", nemo_number), "money": ("number", nemo_number),
          "measure": ("number", nemo_number), "ordinal": ("number", nemo_number),
          "telephone": ("digits", nemo_digits), "date": ("date", nemo_date), "time": ("time", nemo_time),
          "electronic": ("email", nemo_email)}
NEMO_CLOCK = f"2026-11-30T15:00:00 {ZONE}"


def wetext(repo: Path, known: set[str]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for kind, (callsim_type, convert) in WETEXT.items():
        for line in git_show(repo, f"itn/english/test/data/en_{kind}.txt").splitlines():
            if " => " not in line:
                continue
            spoken, written = (part.strip() for part in line.split(" => ", 1))
            if spoken.lower() in known:
                continue
            value = convert(written)
            if value is not None:
                rows.append((callsim_type, spoken, value, f"wetext/itn/en_{kind}", NEMO_CLOCK))
    return rows


def main(duckling_repo: str, recognizers_repo: str, wetext_repo: str) -> None:
    first = Path(__file__).resolve().parents[1] / "readers" / "itn_corpus.tsv"
    known = {line.split("\t")[2].lower() for line in first.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")}
    print("# Spoken -> typed value pairs for callsim's readers, built by tests/benchmarks/itn_corpus2_build.py.")
    print("# From facebook/duckling (BSD-3-Clause, https://github.com/facebook/duckling, Duckling/*/EN/Corpus.hs,")
    print("# Duckling/PhoneNumber/Corpus.hs), microsoft/Recognizers-Text (MIT, https://github.com/microsoft/")
    print("# Recognizers-Text, Specs/{Number,Sequence,DateTime}/English) and wenet-e2e/WeTextProcessing")
    print("# (Apache-2.0, https://github.com/wenet-e2e/WeTextProcessing, itn/english/test/data); copyright their")
    print("# authors. Each value is as of the pair's `now` (a wall clock and its zone); '-' means no value of the")
    print("# type; 'a|b' accepts either.")
    print("# split\ttype\tspoken\texpected\tsource\tnow")
    seen: set[tuple[str, str]] = set()
    rows = duckling(Path(duckling_repo)) + recognizers(Path(recognizers_repo)) + wetext(Path(wetext_repo), known)
    for kind, spoken, value, source, now in rows:
        spoken = " ".join(spoken.split())
        if not spoken or (kind, spoken) in seen:
            continue
        seen.add((kind, spoken))
        digest = hashlib.sha1(f"{kind}\t{spoken.lower()}".encode()).digest()[0]
        split = "dev" if digest < 128 else "held-out"
        print(f"{split}\t{kind}\t{spoken}\t{value}\t{source}\t{now}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
