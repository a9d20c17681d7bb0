"""`callsim validate` on a deliberately broken telephony project (kept out of scenarios/, which must stay valid)."""

from __future__ import annotations

import re
from pathlib import Path

from callsim.cli import main

BROKEN = Path(__file__).parent / "fixtures" / "telephony_invalid_destination"


def test_validate_rejects_invalid_destinations_with_file_line_col(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.setattr("sys.argv", ["callsim", "validate", str(BROKEN)])

    try:
        main()
    except SystemExit as done:
        code = done.code
    err = re.sub(r"\s+", " ", capsys.readouterr().err).replace(str(BROKEN) + "/", "")

    assert code == 2
    assert ("actions.yaml:5:18: actions.transfer_billing.destination: '555-1234' has no country code; E.164 numbers "
            "start with + and the country code, e.g. +14155550123") in err
    assert ("actions.yaml:11:18: actions.transfer_sip.destination: 'sip:sales@pbx.acme.test;transport=tls;"
            "transport=udp' is not a valid SIP URI: the parameter 'transport' appears twice (at character 39)") in err
    assert ("transfer_to_local_number.yaml:4:3: phones.+1 415 555: '+1 415 555' is not a valid phone number (too short "
            "for the numbering plan of +1)") in err
    assert "Traceback" not in err
