"""pressdiff's core: the story model, the records every stage hands on, errors and the store.

Every other package depends on this one; it imports none of them (scripts/import_graph.py --check).
"""
