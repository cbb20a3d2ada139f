"""Running the room: start and end, phases, the talking piece, admitting, locking, moderating."""
