"""Printed documents in the app: built in memory, previewed, printed or exported."""
