"""The resource library and the resources facilitators pin to their circles."""
