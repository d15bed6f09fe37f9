"""Qt models: thin adapters over plain domain objects, with named columns."""
