"""The simulator's panes: each renders the trace events it knows and ignores the rest."""

from callsim.tui.widgets.actions import ActionsPanel
from callsim.tui.widgets.backends import BackendsPanel
from callsim.tui.widgets.keypad import Keypad
from callsim.tui.widgets.say_line import SayLine
from callsim.tui.widgets.status import StatusBar
from callsim.tui.widgets.transcript import Transcript
from callsim.tui.widgets.variables import VariablesTable

__all__ = ["ActionsPanel", "BackendsPanel", "Keypad", "SayLine", "StatusBar", "Transcript", "VariablesTable"]
