"""Keep the client list's flags and the search index current after unlock and every change."""
