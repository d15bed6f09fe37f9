"""The vault's own settings, sealed in its `secret` table: the practice's signing key, the
practitioner's profile and the demo mark. Read once at unlock and held in memory; written in a unit
of work like any record (a part of Vault, kept here so vault.py stays about opening and keys)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete

from notesdesk.core.crypto import signing
from notesdesk.core.domain.practice import DemoMark, PractitionerProfile
from notesdesk.core.storage.store import Identified, SealedTable
from notesdesk.core.storage.tables import MetaRow
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault_header import write_header_mac

SIGNING_KEY_ID = "signing-key"
PROFILE_ID = "profile"
COUNTRY_BEFORE_IT_WAS_ASKED = "US"


@dataclass(frozen=True)
class SigningKey:
    private_hex: str
    id: str = SIGNING_KEY_ID


class VaultSettings:
    """The settings half of Vault (vault.py), which provides the attributes declared here."""

    vault_id: str
    _header_key: bytes
    _signing_private: bytes | None
    _profile: PractitionerProfile | None
    _demo: bool
    unit_of_work: Callable[[], UnitOfWork]

    def _secret_table[S: Identified](self, uow: UnitOfWork, kind: type[S]) -> SealedTable[S]:
        return SealedTable(uow.ctx, "secret", kind, label="vault setting")

    def _load_secrets(self, uow: UnitOfWork) -> None:
        """Read the signing key and profile once, at unlock, inside the unlock's own session."""
        stored = self._secret_table(uow, SigningKey).get(SIGNING_KEY_ID)
        self._signing_private = bytes.fromhex(stored.private_hex)
        found = self._secret_table(uow, PractitionerProfile).find(PROFILE_ID)
        # A vault made before the country was asked for, whose profile was never saved, printed US
        # crisis lines: it keeps that country until the practitioner changes it in Settings.
        self._profile = found or PractitionerProfile(locale=COUNTRY_BEFORE_IT_WAS_ASKED)
        self._demo = self._secret_table(uow, DemoMark).find(DemoMark.id) is not None

    def adopt_practice(self, uow: UnitOfWork, private_key: bytes, profile: PractitionerProfile) -> None:
        """Take over an imported practice's signing key (so its signed notes keep verifying) and
        profile, in the import's own unit of work: all or nothing. Held in memory once it commits."""
        session = uow.session
        assert session is not None
        self._secret_table(uow, SigningKey).replace(SigningKey(private_key.hex()))
        profiles = self._secret_table(uow, PractitionerProfile)
        if profiles.find(PROFILE_ID) is None:
            profiles.add(profile)
        else:
            profiles.replace(profile)
        session.execute(delete(MetaRow).where(MetaRow.key == "signing_public"))
        session.add(MetaRow(key="signing_public", value=signing.public_key_bytes(private_key).hex()))
        session.flush()
        write_header_mac(session, self._header_key, self.vault_id)
        session.info["adopted"] = (private_key, profile)

    def stage_profile(self, uow: UnitOfWork, profile: PractitionerProfile) -> None:
        """A profile written in `uow` (received from this clinician's other device): held in memory
        once it commits (Vault.committed), so a rolled-back one never is."""
        assert uow.session is not None
        uow.session.info["profile"] = profile

    def update_profile(
        self, change: Callable[[PractitionerProfile], PractitionerProfile]
    ) -> PractitionerProfile:
        """Apply `change` to the profile as stored now (a sync may have just written it) and store the
        result, in one unit of work; the profile in memory follows once it commits."""
        with self.unit_of_work() as uow:
            table = self._secret_table(uow, PractitionerProfile)
            found = table.find(PROFILE_ID)
            profile = change(found or self.profile())
            table.add(profile) if found is None else table.replace(profile)
            uow.commit()
        self._profile = profile
        return profile

    def signing_private_key(self) -> bytes:
        assert self._signing_private is not None
        return self._signing_private

    def signing_public_key(self) -> bytes:
        return signing.public_key_bytes(self.signing_private_key())

    def profile(self) -> PractitionerProfile:
        assert self._profile is not None
        return self._profile

    @property
    def is_demo(self) -> bool:
        """Filled by the demo generator (notesdesk.demo): made-up clients only."""
        return self._demo

    def mark_demo(self) -> None:
        with self.unit_of_work() as uow:
            table = self._secret_table(uow, DemoMark)
            if table.find(DemoMark.id) is None:
                table.add(DemoMark())
            uow.commit()
        self._demo = True

    def save_profile(self, profile: PractitionerProfile) -> None:
        with self.unit_of_work() as uow:
            table = self._secret_table(uow, PractitionerProfile)
            if table.find(PROFILE_ID) is None:
                table.add(profile)
            else:
                table.replace(profile)
            uow.commit()
        self._profile = profile

