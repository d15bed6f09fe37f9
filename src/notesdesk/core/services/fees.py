"""The practice's fee schedule (a vault-level setting, sealed like every record) and what a session
costs under it. Fees are in the currency of the practice's country (core/codes/currencies.py)."""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.codes.cpt import check_cpt
from notesdesk.core.codes.currencies import currency_of_country
from notesdesk.core.domain.billing import FEE_SCHEDULE_ID, Fee, FeeSchedule
from notesdesk.core.domain.common import now
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.errors import InvalidInput
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork


def _table(uow: UnitOfWork) -> SealedTable[FeeSchedule]:
    return SealedTable(uow.ctx, "secret", FeeSchedule, label="vault setting")


def stored_schedule(uow: UnitOfWork) -> FeeSchedule | None:
    """The schedule inside an open unit of work (None: no fee set yet)."""
    return _table(uow).find(FEE_SCHEDULE_ID)


def fee_schedule(uow: UnitOfWork) -> FeeSchedule:
    """The schedule; before any fee is set, an empty one in the country's currency ("" unset)."""
    with uow:
        found = stored_schedule(uow)
    if found is not None:
        return found
    locale = uow.vault.profile().locale
    try:
        code = currency_of_country(locale).code
    except InvalidInput:
        code = ""
    return FeeSchedule(currency=code)


def practice_currency(uow: UnitOfWork) -> str:
    """The ISO 4217 code amounts are typed in: the practice country's (InvalidInput while unset)."""
    return currency_of_country(uow.vault.profile().locale).code


def _save(uow: UnitOfWork, schedule: FeeSchedule) -> None:
    table = _table(uow)
    if table.find(FEE_SCHEDULE_ID) is None:
        table.add(schedule)
    else:
        table.replace(schedule)


def set_fee(uow: UnitOfWork, fee: Fee) -> FeeSchedule:
    """Add a fee, or change the amount of the one for the same service, delivery and code. The
    currency follows the practice's country; a schedule in another currency (the country changed) is
    refused rather than silently read in the new one."""
    locale = uow.vault.profile().locale
    money = currency_of_country(locale)
    if fee.amount < 0:
        raise InvalidInput("A fee cannot be negative.")
    fee = replace(fee, cpt_code=check_cpt(fee.cpt_code, locale))
    with uow:
        schedule = stored_schedule(uow) or FeeSchedule(currency=money.code)
        if schedule.fees and schedule.currency != money.code:
            raise InvalidInput(
                f"The fee schedule is in {schedule.currency} but the practice's country uses {money.code}; "
                "remove the old fees first (notesdesk fees remove …).")
        kept = tuple(f for f in schedule.fees if f.key != fee.key)
        ordered = tuple(sorted((*kept, fee), key=lambda f: f.key))
        schedule = replace(schedule, currency=money.code, fees=ordered, updated_at=now())
        _save(uow, schedule)
        uow.commit()
    return schedule


def remove_fee(uow: UnitOfWork, service: SessionType, delivery: Delivery | None = None, cpt_code: str = ""
               ) -> FeeSchedule:
    key = Fee(service, 0, delivery, cpt_code.strip()).key
    with uow:
        schedule = stored_schedule(uow)
        if schedule is None or all(f.key != key for f in schedule.fees):
            raise InvalidInput("No such fee in the schedule; 'notesdesk fees' lists them.")
        schedule = replace(schedule, fees=tuple(f for f in schedule.fees if f.key != key), updated_at=now())
        _save(uow, schedule)
        uow.commit()
    return schedule
