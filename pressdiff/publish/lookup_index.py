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
  picks its rarest, as compare/cite.fts_query does (a rare word's postings are here too);
- p/K.js (and p/wN.js for a word held by very many wordings): each word's postings, the wordings
  that hold it with its count there and their length in tokens (what FTS5's bm25() reads);
- r/K.js: CLUSTERS_PART clusters, in the cite index's order, each with its wordings as printed
  (an outlet's as edits of the first carrier's), their articles, relations, changes and quotation
  marks: a query loads the parts of its best BM25 candidates, scores them as cite does, and shows
  its matches from the same parts;
- a/K.js: each article's id, outlet, address and date; f/K.js: what citing it needs (archived
  capture, the APA reference citeproc-py rendered, the CSL-JSON item without its key).

Wordings are stored once, as printed; the browser normalises them as compare/text.py does
(site/javascripts/lookup.js), which a test checks against the Python on every wording of the demo.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

from pressdiff.compare.cite import MAX_QUERY_CHARS, QUERY_ROWS, QUERY_WORDS, csl_item
from pressdiff.compare.origin import BASES, UNKNOWN, origin_phrase
from pressdiff.compare.settings import CHANGE_ORDER, CITE_MATCH_SCORE, CITE_SUGGEST_SCORE, STOPWORDS
from pressdiff.compare.text import _IZE_KEEP, _US_TO_UK  # the tables normalize_word reads, shipped to the browser
from pressdiff.core.dates import display
from pressdiff.core.errors import WorkError
from pressdiff.core.records import Capture
from pressdiff.core.store import Store

from .citecache import CiteCache
from .views import quotation_page

FORMAT = 1  # of the index's files; lookup.js refuses another
# Part sizes, set on bench/lookup.py's sites of 1,000 and 10,000 articles: a query loads a few
# kilobytes from each of some tens of parts. Larger parts cost bytes for the one entry a query
# needs of each; smaller ones cost files on disk and script tags (about a millisecond each).
WORDS_PART_BYTES = 4_000  # v/: counts of the words
POSTINGS_PART_BYTES = 16_000  # p/: postings of the words sharing a part
OWN_POSTINGS_BYTES = 8_000  # a word's postings longer than this get their own file (a common word)
# A rare word's postings up to this length sit beside its count in v/: the rarest words are the
# ones a query looks up, and one round of script loads fewer is some tens of milliseconds.
INLINE_POSTINGS = 48
CLUSTERS_PART = 8  # r/: clusters per part, with all their wordings
ARTICLES_PART = 32  # a/
CITES_PART = 8  # f/
# Of cite's CANDIDATES (the wordings BM25 ranks best, which rapidfuzz then scores), the page scores
# the first LOOKUP_CANDIDATES: each may sit in a part of its own, and 400 parts are most of a small
# index. The best-scoring cluster is nearly always among BM25's first few (bench/lookup.py counts
# how often the page's top answer is cite's); this is where the two may differ.
LOOKUP_CANDIDATES = 64
PLACEHOLDER = "\u0000"  # stands for the outlet in origin_phrase's wording, replaced in the browser

# A wording's relation and changes as one number: the relation's place in RELATIONS, plus 8 times
# the changes' bits in CHANGES; lookup.js reads them back. A name in neither list is stored as such.
RELATIONS = ("verbatim", "altered", "paraphrase", "boilerplate")
CHANGES = (*CHANGE_ORDER, "edited")
_WORD_RUN = re.compile(r"\s+|\w+|[^\w\s]")

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
    return path.write_bytes(text.encode("utf-8"))


def _in_parts(folder: Path, slug: str, name: str, rows: list, size: int) -> int:
    """rows in parts of size, as name/K.js (K from 0); the bytes written."""
    return sum(_script(folder / name / f"{k // size}.js", f"{slug}/{name}/{k // size}", rows[k:k + size])
               for k in range(0, len(rows), size))


def kind(relation: str, changes: list[str]):
    """A wording's relation and changes, as one number where the names are known."""
    if relation in RELATIONS and all(c in CHANGES for c in changes):
        return RELATIONS.index(relation) + 8 * sum(1 << CHANGES.index(c) for c in changes)
    return [relation, changes]


def edits(base: str, text: str):
    """text as edits of base, when shorter than text itself: 0 for the same wording, else a list of
    n (keep n characters of base), -n (skip n), or a string (insert it); characters are code points.
    Outlets mostly carry the origin's wording with a few words changed: stored once, not each time."""
    if text == base:
        return 0
    a, b = _WORD_RUN.findall(base), _WORD_RUN.findall(text)
    out: list = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(-len("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append("".join(b[j1:j2]))
        if op == "equal":
            out.append(len("".join(a[i1:i2])))
    return out if len(json.dumps(out, ensure_ascii=False)) < len(text) else text


def _parts(sizes: dict, target: int) -> int:
    return max(1, -(-sum(sizes.values()) // target))


def write_lookup_index(store: Store, slug: str, folder: Path, cache: CiteCache | None = None) -> dict:
    """Write a story's look-up index into folder (its site's lookup/data/); returns its manifest."""
    cache = cache or CiteCache(None)
    words_of = store.findings.cite_words(slug)
    postings: dict[str, list] = {}
    articles, index_of, clusters = [], {}, []
    rows = tokens = 0
    for v in store.findings.lookup_variants(slug):
        cited = next(words_of, None)
        if cited is None or (cited["cluster"], cited["article"]) != (v["cluster"], v["article"]):
            raise WorkError(f"story '{slug}': the cite index is out of step with its variants at cluster "
                            f"{v['cluster']}; run 'pressdiff compare {slug}' again")
        if v["article"] not in index_of:
            index_of[v["article"]] = len(articles)
            articles.append(v)
        if not clusters or clusters[-1]["id"] != v["cluster"]:
            clusters.append({"id": v["cluster"], "speaker": v["cluster_speaker"], "canonical": v["canonical"],
                             "origin": v["origin"], "basis": v["origin_basis"] or UNKNOWN, "variants": []})
        c = clusters[-1]
        words = cited["words"]
        length = len(_TOKEN.findall(words))  # FTS5's count of the row's tokens
        tokens += length
        rows += 1
        for word, tf in Counter(words.split()).items():
            postings.setdefault(word, []).append((len(clusters) - 1, len(c["variants"]), tf, length))
        c["variants"].append([index_of[v["article"]], v["text"], kind(v["relation"], json.loads(v["changes"])),
                              int(v["quoted"])])
    folder.mkdir(parents=True, exist_ok=True)
    written = 0

    # postings, a wording each: its cluster (from the last), its place there, length*2 + (count > 1),
    # the count when it is more than one
    encoded = {}
    for word, ps in postings.items():
        flat, last = [], 0
        for cluster, j, tf, length in ps:
            flat += [cluster - last, j, length * 2 + (tf > 1)] + ([tf] if tf > 1 else [])
            last = cluster
        encoded[word] = varints(flat)
    own = sorted(w for w, e in encoded.items() if len(e) > OWN_POSTINGS_BYTES)
    own_id = {w: i for i, w in enumerate(own)}
    inline = {w for w, e in encoded.items() if len(e) <= INLINE_POSTINGS}
    n_post = _parts({w: len(e) + len(w) + 6 for w, e in encoded.items() if w not in own_id and w not in inline},
                    POSTINGS_PART_BYTES)
    n_words = _parts({w: len(w) + 12 + (len(encoded[w]) if w in inline else 0) for w in encoded}, WORDS_PART_BYTES)
    word_parts: list[dict] = [{} for _ in range(n_words)]
    post_parts: list[dict] = [{} for _ in range(n_post)]
    for word in sorted(encoded):
        h = fnv1a(word)
        df = len(postings[word])
        word_parts[h % n_words][word] = ([df, own_id[word]] if word in own_id else [df, encoded[word]] if word in inline
                                         else df)
        if word not in own_id and word not in inline:
            post_parts[h % n_post][word] = encoded[word]
    for k, part in enumerate(word_parts):
        written += _script(folder / "v" / f"{k}.js", f"{slug}/v/{k}", part)
    for k, part in enumerate(post_parts):
        written += _script(folder / "p" / f"{k}.js", f"{slug}/p/{k}", part)
    for word, i in own_id.items():
        written += _script(folder / "p" / f"w{i}.js", f"{slug}/p/w{i}", {word: encoded[word]})

    # clusters: [id, speaker, the variant cite names first, basis, variants(, canonical when it is
    # not that variant's wording)]; each variant [article, wording, kind, quoted], its wording as
    # edits of the first's
    entries = []
    for c in clusters:
        at = next((i for i, v in enumerate(c["variants"]) if articles[v[0]]["article"] == c["origin"]), 0)
        base = c["variants"][at][1]
        for i, v in enumerate(c["variants"]):
            if i != at:
                v[1] = edits(base, v[1])
        entry = [c["id"], c["speaker"], at, BASES.index(c["basis"]) if c["basis"] in BASES else BASES.index(UNKNOWN),
                 c["variants"]]
        if c["canonical"] != c["variants"][at][1]:
            entry.append(c["canonical"])
        entries.append(entry)
    written += _in_parts(folder, slug, "r", entries, CLUSTERS_PART)

    # articles: what every wording shows, and apart, what citing the first carrier needs
    items = []
    for a in articles:
        archive = Capture.from_row(a).archive()
        items.append(csl_item(key="", title=a["title"], outlet=a["outlet"], author=a["author"],
                              published=a["published"], url=a["url"], archive=archive if archive["record_id"] else None))
    apa = cache.render_all(items, "apa")
    shown = [[a["article"], a["outlet"], a["url"], a["published"], display(a["published"])] for a in articles]
    cites = [[Capture.from_row(a).archive(), text, {k: v for k, v in item.items() if k != "id"}]
             for a, text, item in zip(articles, apa, items)]
    written += _in_parts(folder, slug, "a", shown, ARTICLES_PART) + _in_parts(folder, slug, "f", cites, CITES_PART)

    manifest = {
        "format": FORMAT, "story": slug, "rows": rows, "tokens": tokens, "clusters": len(clusters),
        "articles": len(articles), "words": n_words, "postings": n_post,
        "parts": {"clusters": CLUSTERS_PART, "articles": ARTICLES_PART, "cites": CITES_PART},
        "settings": {"match": CITE_MATCH_SCORE, "suggest": CITE_SUGGEST_SCORE, "candidates": LOOKUP_CANDIDATES,
                     "query_words": QUERY_WORDS, "query_rows": QUERY_ROWS, "max_chars": MAX_QUERY_CHARS,
                     "limit": 5, "suggestions": 3},
        "stopwords": sorted(STOPWORDS), "relations": list(RELATIONS), "changes": list(CHANGES),
        # normalize_word's tables, as much of them as this index's words need (a query's other
        # American spellings are words no wording holds in either spelling)
        "spelling": {us: uk for us, uk in sorted(_US_TO_UK.items()) if uk in encoded},
        "ize_keep": sorted(_IZE_KEEP),
        "bases": list(BASES),
        "origins": {b: origin_phrase(b, PLACEHOLDER) for b in BASES},
        "pages": {"shared": quotation_page("{cluster}", "{origin}", 2), "single": quotation_page("{cluster}", "{origin}", 1)},
    }
    written += _script(folder / "manifest.js", f"{slug}/manifest", manifest)
    return dict(manifest, bytes=written)


DATA = "lookup/data"  # in each story's site: the index's parts


def write_lookup_page(env, docs: Path, slugs: list[str], story: bool) -> None:
    """A site's Look-up page (lookup.md): a story's searches its own index; the home site's, every
    story's, from where each story's site sits beside it."""
    stories = [[s, "data/", "../"] for s in slugs] if story else [[s, f"../{s}/{DATA}/", f"../{s}/"] for s in slugs]
    (docs / "lookup.md").write_text(env.get_template("lookup.md.j2").render(
        story=story, stories=stories, methodology="../../methodology/" if story else "../methodology/"), "utf-8")
