"""Solo guided practice: intention, grounding, breathing, release and reflection."""
