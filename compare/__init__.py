"""Pure comparison stages: records in, records out; no database, files, network or clock."""
