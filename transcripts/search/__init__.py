"""Search: the haystack indexes live in transcripts/search_indexes.py; this package holds
the indexing queue, the Whoosh adapter and the query layer the views call."""
