"""Dialogs of the app shell: client details, global search, settings, passphrase."""
