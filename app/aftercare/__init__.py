"""After the circle: the closing check with its flooding check, a journal entry, tomorrow's card."""
