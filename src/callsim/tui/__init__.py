"""The simulator people use by hand: a Textual app over one live call (`callsim tui`)."""
