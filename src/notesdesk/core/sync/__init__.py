"""Group-practice sync through a PostgreSQL server that holds only sealed rows (docs/design-notes.md §9)."""
