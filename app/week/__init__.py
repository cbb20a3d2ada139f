"""My week: upcoming circle sessions, planned solo practice, reminders and a calendar feed."""
