"""The private journal: encrypted per member, readable by its owner alone."""
