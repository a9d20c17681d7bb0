"""What telephony configuration does beyond its fields: a phone menu that waits, a transfer check's target."""

from __future__ import annotations

from callsim.backends.telephony import DestinationError, parse_destination


class IvrMenuShape:
    """One prompt of a phone menu."""

    __slots__ = ()

    @property
    def waits(self) -> bool:
        """Whether the menu waits for keys after this prompt."""
        return bool(self.options or self.collect)  # type: ignore[attr-defined]


class TransferExpectationShape:
    """A `transfer:` expectation."""

    __slots__ = ()

    def reaches(self, dialed: str) -> bool:
        """Whether `dialed` is the expected destination (any when `to` is not given), compared as telephony does."""
        if self.to is None:  # type: ignore[attr-defined]
            return True
        try:
            return parse_destination(self.to).key() == parse_destination(dialed).key()  # type: ignore[attr-defined]
        except DestinationError:
            return self.to.strip().casefold() == dialed.strip().casefold()  # type: ignore[attr-defined]
