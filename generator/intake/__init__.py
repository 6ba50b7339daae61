"""Living intake: import search results, deduplicate them, screen candidates as data."""
