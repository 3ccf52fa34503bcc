"""Comparison (pressdiff.compare): pure stages, records in and records out; no database, files,
network or clock.

- quotes.py: quotations in an article's text; speakers.py (+ speaker_model.json): who said them;
  attribution.py: indirect speech; credits.py: who an article says it got the story from.
- align.py: units (quotations, sentences, clauses) aligned across articles into clusters.
- drift.py: how a variant differs from its cluster's origin (SPEC's relations and changes).
- reuse.py: article pairs sharing text (whole copies); cite.py: citation lookup and references.
- comparison.py: the stages in order; report.py: SPEC's comparison JSON and its CSV.
- text.py: tokens and normalisation; settings.py: every threshold and word list, with how it was set.

Imports only core/; imported by the app (compare, cite, site).
"""
