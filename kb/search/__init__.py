"""Chinese full-text search over articles (and later guides): analysis, schema, query building, the index."""
from kb.search.index import IndexBusy, IndexDoc, SearchHit, SearchIndex, SearchResults

__all__ = ["IndexBusy", "IndexDoc", "SearchHit", "SearchIndex", "SearchResults"]
