"""Care in the room: the breathing pacer, anonymous check-ins, support requests and alerts."""
