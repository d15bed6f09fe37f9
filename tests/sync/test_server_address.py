"""The server address: a device's own login replaces the administrator's, the connection options stay,
and no message or status line repeats a password."""

from __future__ import annotations

import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.sync.server import check_url, device_url, public_address


def test_a_devices_address_keeps_host_port_database_and_tls_options():
    url = device_url(
        "postgresql://admin:admin-pw@[::1]:5433/practice?sslmode=verify-full", "nd_device_1", "s3cret"
    )
    assert url == "postgresql://nd_device_1:s3cret@[::1]:5433/practice?sslmode=verify-full"
    assert "admin" not in url


def test_status_shows_the_address_without_login_or_password():
    assert (
        public_address("postgresql://nd_device_1:s3cret@db.example:5433/practice")
        == "db.example:5433/practice"
    )


@pytest.mark.parametrize(
    "bad", ["mysql://u:pw-secret@h/db", "not a url pw-secret", "postgresql://u:pw-secret@/",
            "postgresql://u:pw-secret@host:notaport/db", "postgresql://u:pw-secret@[::1/db"]
)
def test_a_bad_address_is_refused_without_repeating_it(bad):
    with pytest.raises(InvalidInput) as refused:
        check_url(bad)
    assert "pw-secret" not in refused.value.message
    # The example never shows a password: the app and `practice init` ask for it apart from the address.
    assert "postgresql://USER@HOST:PORT/DATABASE" in refused.value.message
