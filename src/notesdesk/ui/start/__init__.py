"""Before the vault is open: first run (create or demo), unlock, recovery."""
