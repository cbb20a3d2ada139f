"""Being in the room: joining, leaving, the waiting room, typing, hands and room preferences."""
