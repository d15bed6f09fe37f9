"""The header setting that marks a vault's client summaries as built (storage/summaries.py); its own
module so that the header's repair (header_repair.py) can name it without importing the summaries."""

META_FLAG = "client_summary"  # set (under the header MAC) once every client's summary is built
# /2: risk notes and the safety plan (the risk loop); /3: the scored history's standing
# (domain/flag_inputs.py). A vault marked with an earlier one rebuilds its summaries at its next unlock.
META_VALUE = "flag-inputs/3"
