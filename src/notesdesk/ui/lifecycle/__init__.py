"""The session's life: locking (idle, sleep, screen lock), backups while the app runs, crash notices."""
