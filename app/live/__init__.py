"""The live room: socket connections, room state and events."""
