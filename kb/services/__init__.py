"""Services: plain functions over a SQLAlchemy session (and the search index) that views and CLI commands call."""
