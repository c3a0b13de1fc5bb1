"""Call guides: the format (model), loading and validation, the run engine and the diagram. No Flask here."""
