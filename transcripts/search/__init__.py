"""Search, an app of its own: the haystack index definitions (search_indexes.py), the index
queue (models.py, queue.py) and its one consumer (indexing.py, process_index_queue), the
Whoosh adapter (whoosh_backend.py, whoosh_patches.py, bulk_scoring.py) and the query layer.
api.py is the only module the rest of Verbatim imports."""
