"""The Overview tab: where the client is at a glance."""
