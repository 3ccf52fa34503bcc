"""pressdiff's core (pressdiff.core): what every layer shares, and nothing of how it is made.

- story.py: story files (TOML), validated; a story's keyword and window tests.
- records.py: the frozen records stages hand each other (Article, Quote, Cluster, Variant, ...).
- dates.py: publication dates at the precision they were given.
- errors.py: PressdiffError and its subclasses, each with its exit status.
- processes.py: child processes and pools that die with the command that started them.
- store/: the SQLite archive index (archive, crawl runs, findings), schema/ its migrations.

The lowest layer: every other one may import it; it imports none of them
(scripts/import_graph.py --check).
"""
