"""The psychotherapy notes tab, kept apart from session notes."""
