"""Document versions: revising a document and carrying the work on it to the new text (issue 10)."""
