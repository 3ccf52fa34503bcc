"""The Look-up page's index: what `pressdiff cite` searches, as script files a browser loads
only when a query needs them, from a server or from disk.

Chromium refuses fetch() and XMLHttpRequest on file://, and the demo opens its site from disk,
so every part of the index is a script that hands its data to `pressdiffLookup.put(name, data)`
(site/javascripts/lookup.js) when a <script> tag loads it. The parts, under a story site's
lookup/index/:

- manifest.js: counts (wordings, their tokens: BM25's statistics), where each part begins, the
  settings cite ranks by (compare/settings.py, compare/cite.py), the spelling table normalisation
  uses, and the wording of origins (compare/origin.py's origin_phrase with a placeholder);
- v/K.js: how many wordings hold each word (cite's cite_word counts), the words split among
  the parts by a hash of the word: a query loads the parts of its own words, and from the counts
  picks its rarest, as compare/cite.fts_query does;
- p/K.js (and p/wN.js for a word held by very many wordings): each word's postings, the wordings
  that hold it with its count there and their length in tokens (what FTS5's bm25() reads);
- r/K.js: the wordings themselves as printed (each with its article, relation, changes and
  quotation marks), whole clusters per part, in the cite index's order: a query loads the parts
  of its best BM25 candidates, scores them as cite does, and shows its matches from the same parts;
- a/K.js: each article's outlet, address, id and date; f/K.js: what citing it needs (title,
  author, archived capture, the APA reference citeproc-py rendered, the CSL-JSON item).

Wordings are stored once, as printed; the browser normalises them as compare/text.py does
(site/javascripts/lookup.js), which a test checks against the Python on real and generated text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from pressdiff.compare.cite import CANDIDATES, MAX_QUERY_CHARS, QUERY_ROWS, QUERY_WORDS, csl_item
from pressdiff.compare.origin import BASES, UNKNOWN, origin_phrase
from pressdiff.compare.settings import CITE_MATCH_SCORE, CITE_SUGGEST_SCORE, STOPWORDS
from pressdiff.compare.text import _IZE_KEEP, _US_TO_UK  # the tables normalize_word reads, shipped to the browser
from pressdiff.core.dates import display
from pressdiff.core.errors import WorkError
from pressdiff.core.records import Capture
from pressdiff.core.store import Store

from .citecache import CiteCache
from .views import quotation_page

FORMAT = 1  # of the index's files; lookup.js refuses another
# Part sizes, set on bench/lookup.py's 10,000-article site so that a query of the benchmark loads
# tens of kilobytes per part and some tens of parts: smaller parts mean more script tags (each a
# few milliseconds from disk), larger ones more bytes for the few rows a query needs.
WORDS_PART_BYTES = 16_000  # v/: counts of the words
POSTINGS_PART_BYTES = 64_000  # p/: postings of the words sharing a part
OWN_POSTINGS_BYTES = 16_000  # a word's postings longer than this get their own file (a common word)
ROWS_PART = 64  # r/: wordings per part, at least (whole clusters)
ARTICLES_PART = 256  # a/
CITES_PART = 64  # f/
PLACEHOLDER = "\u0000"  # stands for the outlet in origin_phrase's wording, replaced in the browser

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TOKEN = re.compile(r"[^\W_]+")  # FTS5's unicode61 tokens: runs of letters and digits


def fnv1a(word: str) -> int:
    """FNV-1a (32 bits) of a word's UTF-8 bytes: which part holds it (lookup.js hashes the same)."""
    h = 0x811C9DC5
    for byte in word.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def varints(values) -> str:
    """Non-negative integers as base64url characters, 5 bits a character, the 6th: more follow."""
    out = []
    for v in values:
        while v >= 32:
            out.append(_B64[32 | (v & 31)])
            v >>= 5
        out.append(_B64[v])
    return "".join(out)


def _script(path: Path, name: str, data) -> int:
    text = f"pressdiffLookup.put({json.dumps(name)},{json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n"
    # "</script" and U+2028/9 cannot end or break the script: JSON escapes them as JavaScript reads them
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    path.parent.mkdir(parents=True, exist_ok=True)
    data_bytes = text.encode("utf-8")
    path.write_bytes(data_bytes)
    return len(data_bytes)


def _parts(sizes: dict, target: int) -> int:
    return max(1, -(-sum(sizes.values()) // target))


def write_lookup_index(store: Store, slug: str, folder: Path, cache: CiteCache | None = None) -> dict:
    """Write a story's look-up index into folder (its site's lookup/index/); returns its manifest."""
    cache = cache or CiteCache(None)
    words_of = store.findings.cite_words(slug)
    rows, postings, articles, index_of = [], {}, [], {}
    tokens = 0
    clusters: list[list] = []
    for v in store.findings.lookup_variants(slug):
        cited = next(words_of, None)
        if cited is None or (cited["cluster"], cited["article"]) != (v["cluster"], v["article"]):
            raise WorkError(f"story '{slug}': the cite index is out of step with its variants at cluster "
                            f"{v['cluster']}; run 'pressdiff compare {slug}' again")
        if v["article"] not in index_of:
            index_of[v["article"]] = len(articles)
            articles.append(v)
        if not clusters or clusters[-1][0] != v["cluster"]:
            clusters.append([v["cluster"], v["cluster_speaker"], 0, v["origin_basis"] or UNKNOWN,
                             v["canonical"], v["origin"], []])
        c = clusters[-1]
        row = len(rows)
        words = cited["words"]
        length = len(_TOKEN.findall(words))
        tokens += length
        for word, tf in Counter(words.split()).items():
            postings.setdefault(word, []).append((row, tf, length))
        c[6].append([index_of[v["article"]], v["text"], v["relation"], json.loads(v["changes"]), int(v["quoted"])])
        rows.append(len(clusters) - 1)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0

    # postings: delta of the row, then length*2 + (count > 1), then the count when it is
    encoded = {}
    for word, ps in postings.items():
        flat, last = [], 0
        for row, tf, length in ps:
            flat += [row - last, length * 2 + (tf > 1)] + ([tf] if tf > 1 else [])
            last = row
        encoded[word] = varints(flat)
    own = sorted(w for w, e in encoded.items() if len(e) > OWN_POSTINGS_BYTES)
    own_id = {w: i for i, w in enumerate(own)}
    shared = {w: len(e) + len(w) + 6 for w, e in encoded.items() if w not in own_id}
    n_post = _parts(shared, POSTINGS_PART_BYTES)
    n_words = _parts({w: len(w) + 12 for w in encoded}, WORDS_PART_BYTES)
    word_parts: list[dict] = [{} for _ in range(n_words)]
    post_parts: list[dict] = [{} for _ in range(n_post)]
    for word in sorted(encoded):
        h = fnv1a(word)
        df = len(postings[word])
        word_parts[h % n_words][word] = [df, own_id[word]] if word in own_id else df
        if word not in own_id:
            post_parts[h % n_post][word] = encoded[word]
    for k, part in enumerate(word_parts):
        written += _script(folder / "v" / f"{k}.js", f"{slug}/v/{k}", part)
    for k, part in enumerate(post_parts):
        written += _script(folder / "p" / f"{k}.js", f"{slug}/p/{k}", part)
    for word, i in own_id.items():
        written += _script(folder / "p" / f"w{i}.js", f"{slug}/p/w{i}", {word: encoded[word]})

    # wordings, whole clusters per part; a cluster's origin is the variant cite names first
    starts, part, first_row, row = [], [], 0, 0
    for c in clusters:
        cid, speaker, _, basis, canonical, origin, variants = c
        at = next((i for i, v in enumerate(variants) if articles[v[0]]["article"] == origin), 0)
        entry = [cid, speaker, at, BASES.index(basis) if basis in BASES else BASES.index(UNKNOWN), variants]
        if canonical != variants[at][1]:
            entry.append(canonical)
        part.append(entry)
        row += len(variants)
        if row - first_row >= ROWS_PART:
            written += _script(folder / "r" / f"{len(starts)}.js", f"{slug}/r/{len(starts)}", part)
            starts.append(first_row)
            part, first_row = [], row
    if part:
        written += _script(folder / "r" / f"{len(starts)}.js", f"{slug}/r/{len(starts)}", part)
        starts.append(first_row)

    # articles: what every wording shows, and apart, what citing the first carrier needs
    items = []
    for a in articles:
        archive = Capture.from_row(a).archive()
        items.append(csl_item(key="", title=a["title"], outlet=a["outlet"], author=a["author"],
                              published=a["published"], url=a["url"], archive=archive if archive["record_id"] else None))
    apa = cache.render_all(items, "apa")
    for k in range(0, len(articles), ARTICLES_PART):
        written += _script(folder / "a" / f"{k // ARTICLES_PART}.js", f"{slug}/a/{k // ARTICLES_PART}",
                           [[a["article"], a["outlet"], a["url"], a["published"], display(a["published"])]
                            for a in articles[k:k + ARTICLES_PART]])
    for k in range(0, len(articles), CITES_PART):
        written += _script(folder / "f" / f"{k // CITES_PART}.js", f"{slug}/f/{k // CITES_PART}",
                           [[a["title"], a["author"], Capture.from_row(a).archive(), text, item]
                            for a, text, item in zip(articles[k:k + CITES_PART], apa[k:k + CITES_PART],
                                                     items[k:k + CITES_PART])])

    manifest = {
        "format": FORMAT, "story": slug, "rows": len(rows), "tokens": tokens, "clusters": len(clusters),
        "articles": len(articles), "words": n_words, "postings": n_post, "starts": varints(
            b - a for a, b in zip([0, *starts], starts)),
        "articles_part": ARTICLES_PART, "cites_part": CITES_PART,
        "settings": {"match": CITE_MATCH_SCORE, "suggest": CITE_SUGGEST_SCORE, "candidates": CANDIDATES,
                     "query_words": QUERY_WORDS, "query_rows": QUERY_ROWS, "max_chars": MAX_QUERY_CHARS,
                     "limit": 5, "suggestions": 3},
        "stopwords": sorted(STOPWORDS),
        "bases": list(BASES),
        "origins": {b: origin_phrase(b, PLACEHOLDER) for b in BASES},
        "pages": {"shared": quotation_page("{cluster}", "{origin}", 2), "single": quotation_page("{cluster}", "{origin}", 1)},
    }
    written += _script(folder / "manifest.js", f"{slug}/manifest", manifest)
    return dict(manifest, bytes=written)


def write_spelling(folder: Path) -> int:
    """The spelling table normalize_word reads (American to British, -ize words kept), for lookup.js."""
    return _script(folder / "spelling.js", "spelling", {"uk": dict(sorted(_US_TO_UK.items())), "keep": sorted(_IZE_KEEP)})


def write_stories(folder: Path, slugs: list[str]) -> int:
    """The home site's list of story indexes: its Look-up page searches them all, as cite does."""
    return _script(folder / "stories.js", "stories", {"stories": [f"../../{s}/lookup/index/" for s in slugs],
                                                      "slugs": slugs})


DATA = "lookup/data"  # in each site: the index's parts (and the spelling table)


def write_lookup_page(env, docs: Path, slugs: list[str], story: bool) -> None:
    """A site's Look-up page (lookup.md): a story's searches its own index; the home site's, every
    story's, from where each story's site sits beside it."""
    stories = [[s, "data/", "../"] for s in slugs] if story else [[s, f"../{s}/{DATA}/", f"../{s}/"] for s in slugs]
    (docs / "lookup.md").write_text(env.get_template("lookup.md.j2").render(
        story=story, stories=stories, methodology="../../methodology/" if story else "../methodology/"), "utf-8")
    write_spelling(docs / DATA)
