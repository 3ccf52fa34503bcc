"""pressdiff's spiders."""
