"""The Measures tab: questionnaires in session or handed to the client, scores, trend chart, flags."""
