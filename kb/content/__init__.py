"""Content files (articles, sources) → checked documents → database and index. No Flask here."""
