"""Compare at scale: the comparison of a story as stages over partitions (plan.py), their tasks
(tasks.py), the Parquet tables between them (tables.py), the engines they run on (engine.py: this
process, a local Dask cluster, an existing one) and the comparison JSON written entry by entry
(document.py). Part of the application layer: it may import everything below it (core, compare,
archive), and only the pipeline and the CLI import it."""
