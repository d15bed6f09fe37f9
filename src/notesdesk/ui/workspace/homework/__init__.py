"""The Homework tab: assignments linked to goals, check-ins and adherence."""
