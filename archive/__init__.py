"""The web archive: WARC files written and read back, their CDXJ index, captures and extraction.

- warc.py: WARC 1.1 records as replay tools expect (request, response or revisit, metadata),
  serialised in memory and appended to rotated files.
- cdxj.py: the CDXJ index beside the WARC files (cdxj-indexer), made exchange by exchange as a
  crawl writes, merged into warc/index.cdxj.
- reading.py: whole records back from a file, payloads as archived and decoded, repair of a
  torn tail.
- extract.py: HTML to article text and metadata (trafilatura, htmldate), charset repair.
- capture.py: one fetched response recorded in the index (a capture and, for an article of the
  story, a version): what a crawl, a resume, a replay and an import all do.
- replay.py: WARC files indexed into the archive: resume after a crash, replay with no
  network, imported WARC and WACZ files.

Used by the crawl (crawler/), the importer, the exports and the site (the app). It imports only
core/; nothing here knows Scrapy.
"""
