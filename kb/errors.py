"""Domain exceptions raised by services; the web layer maps them to HTTP responses."""


class NotFound(LookupError):
    """The requested item does not exist (or is not visible)."""
