"""The practitioner's own details and record-keeping preferences, stored sealed in the vault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PractitionerProfile:
    name: str = ""
    credentials: str = ""
    contact: str = ""
    # The practice's country (crisis lines, paper, Medicare's plan fields). Unset in a new vault until the
    # practitioner says: a guessed country would print another country's crisis numbers. Vaults made
    # before keep the country stored in them.
    locale: str = ""
    retention_years_after_service: int = 7
    retention_years_after_majority: int = 3
    age_of_majority: int = 18
    id: str = "profile"
    # Printed on superbills in the US when set (added after profiles were first stored: defaults last).
    npi: str = ""  # the practitioner's National Provider Identifier, 10 digits
    tax_id: str = ""  # the practice's EIN (or SSN) as written on claims

    @property
    def can_sign(self) -> bool:
        """A signature names its signer for ever: both the name and the credentials are needed."""
        return bool(self.name.strip() and self.credentials.strip())


@dataclass(frozen=True)
class DemoMark:
    """Present only in a vault the demo generator filled: the app shows it as the made-up practice
    it is (a banner, another window tint), whatever its file is called."""

    synthetic: bool = True
    id: str = "demo-practice"
