"""One module per lab: its configuration per profile and its run-or-load steps."""
