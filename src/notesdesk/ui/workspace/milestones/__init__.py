"""The Milestones tab: safety and integration milestones, and the phase of care."""
