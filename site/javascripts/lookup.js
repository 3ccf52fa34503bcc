/* The Look-up page: `pressdiff cite` in the reader's browser, from the index the site build writes
   (pressdiff/publish/lookup_index.py explains its parts).

   Every part is a script that calls pressdiffLookup.put(name, data): scripts load from file://,
   where Chromium refuses fetch(). A query loads the counts of its own words, picks its rarest as
   compare/cite.fts_query does, ranks the wordings holding them by FTS5's bm25() (k1 1.2, b 0.75,
   as SQLite computes it), keeps the best CANDIDATES, and scores those with the same formula as
   compare/cite.score: rapidfuzz's ratio, partial_ratio and token_set_ratio are written out below
   (fuzzball, the JavaScript port of thefuzz, rounds to whole numbers and finds partial matches by
   difflib's heuristic blocks, so it would rank differently), Levenshtein distance comes from
   fastest-levenshtein and the marking of changes from jsdiff (both vendored from npm).

   Untrusted text (the query, every wording, outlet and title) only ever goes into the page as
   text nodes or attribute values set through the DOM, never as HTML. */
(function () {
  "use strict";

  // -- loading parts ----------------------------------------------------------------------------
  // The page loads each story's manifest with script tags of its own, before this script, so that
  // a query's first parts are asked for at once: they are kept by a stand-in put() until now.
  var parts = (window.pressdiffLookup && window.pressdiffLookup.early) || {}, waiting = {};
  var lookup = window.pressdiffLookup = {
    loaded: [],  // the address of every part loaded, in order (the benchmark adds up their sizes)
    put: function (name, data) {
      parts[name] = data;
      var w = waiting[name];
      if (w) { delete waiting[name]; w.forEach(function (f) { f[0](data); }); }
    }
  };

  function load(src, name) {
    if (Object.prototype.hasOwnProperty.call(parts, name)) return Promise.resolve(parts[name]);
    return new Promise(function (resolve, reject) {
      if (waiting[name]) { waiting[name].push([resolve, reject]); return; }
      waiting[name] = [[resolve, reject]];
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onerror = function () {
        var w = waiting[name] || [];
        delete waiting[name];
        w.forEach(function (f) { f[1](new Error("could not load " + src)); });
      };
      lookup.loaded.push(s.src);  // resolved against the page
      document.head.appendChild(s);
    });
  }

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var B64_VALUE = {};
  for (var i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

  function varints(text) {  // lookup_index.varints, read back
    var out = [], v = 0, shift = 0;
    for (var k = 0; k < text.length; k++) {
      var c = B64_VALUE[text.charCodeAt(k)];
      v += (c & 31) * Math.pow(2, shift);
      if (c & 32) { shift += 5; } else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  function fnv1a(word) {  // lookup_index.fnv1a: over the word's UTF-8 bytes
    var bytes = new TextEncoder().encode(word), h = 0x811c9dc5;
    for (var k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k], 0x01000193) >>> 0;
    return h >>> 0;
  }

  // -- normalisation: compare/text.py's tokenize and normalize_word ------------------------------
  var WORD = /[\p{L}\p{N}_]+(?:['\u2019`\u201b\u2032\u02bc][\p{L}\p{N}_]+)*/gu;
  var IZE = /(?<=[\p{L}\p{N}_]{2})(y|i)z(e|es|ed|ing|ation|ations|er|ers)$/u;
  var spelling = null;

  function fold(word) {  // compare.text.fold: apostrophes, accents, case
    var w = word.replace(/['\u2019`\u201b\u2032\u02bc\u2018]/g, "'").replace(/[\u201c\u201d]/g, '"');
    w = w.normalize("NFKD").replace(/\p{Mn}/gu, "");
    return w.toLowerCase().replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3").replace(/\u1e9e/g, "ss");
  }

  var wordCache = new Map();
  function normalizeWord(word) {
    var cached = wordCache.get(word);
    if (cached !== undefined) return cached;
    var w = fold(word);
    if (Object.prototype.hasOwnProperty.call(spelling.uk, w)) w = spelling.uk[w];
    else if (!spelling.keep.has(w)) w = w.replace(IZE, function (_, a, b) { return a + "s" + b; });
    if (wordCache.size > 200000) wordCache.clear();
    wordCache.set(word, w);
    return w;
  }

  function normalize(text) {  // compare.cite.normalize
    var m = text.match(WORD);
    return m ? m.map(normalizeWord).join(" ") : "";
  }

  // -- scoring: compare/cite.py's score, with rapidfuzz's measures -------------------------------
  function codepoints(s) { return Array.from(s); }

  // Indel distance through the length of the longest common subsequence, bit-parallel
  // (Hyyro's algorithm, 32 bits a word): rapidfuzz's fuzz.ratio is 100 * (1 - indel / total length).
  function Pattern(a) {
    this.len = a.length;
    this.words = Math.max(1, Math.ceil(a.length / 32));
    this.masks = new Map();
    for (var k = 0; k < a.length; k++) {
      var m = this.masks.get(a[k]);
      if (!m) { m = new Uint32Array(this.words); this.masks.set(a[k], m); }
      m[k >> 5] |= (1 << (k & 31)) >>> 0;
    }
    this.v = new Uint32Array(this.words);
  }
  Pattern.prototype.over = function (b) {  // each character of b as this pattern's mask (null: not in it)
    var masks = this.masks;
    return b.map(function (ch) { return masks.get(ch) || null; });
  };
  Pattern.prototype.lcs = function (b, from, to) { return this.lcsOver(this.over(b), from, to); };
  Pattern.prototype.lcsOver = function (ms, from, to) {
    var W = this.words, V = this.v, k, w;
    for (w = 0; w < W; w++) V[w] = 0xffffffff;
    for (k = from; k < to; k++) {
      var M = ms[k];
      if (!M) continue;  // no match: V stays as it is
      var carry = 0;
      for (w = 0; w < W; w++) {
        var u = (V[w] & M[w]) >>> 0;
        var sum = V[w] + u + carry;
        carry = sum > 0xffffffff ? 1 : 0;
        V[w] = ((sum >>> 0) | (V[w] & ~M[w])) >>> 0;
      }
    }
    var zeros = 0;
    for (w = 0; w < W; w++) {
      var bits = w === W - 1 && this.len % 32 ? this.len % 32 : 32;
      var x = bits === 32 ? V[w] : (V[w] & ((1 << bits) - 1)) >>> 0;
      zeros += bits - popcount(x);
    }
    return zeros;
  };
  function popcount(x) {
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  function indelSimilarity(p, ms, from, to) {  // normalized, 0-1; ms: p.over(the other string)
    var total = p.len + (to - from);
    if (!total) return 1;
    return 1 - (total - 2 * p.lcsOver(ms, from, to)) / total;
  }

  function ratio(a, b) {
    if (!a.length && !b.length) return 100;
    var p = new Pattern(a);
    return 100 * indelSimilarity(p, p.over(b), 0, b.length);
  }

  // rapidfuzz's partial_ratio: every alignment of the shorter in the longer that could be best
  // (fuzz_py._partial_ratio_impl), and for equal lengths both ways round.
  function partialImpl(s1, s2) {
    var len1 = s1.length, len2 = s2.length, p = new Pattern(s1), ms = p.over(s2), best = 0, r, k;
    var chars = new Set(s1);
    for (k = 1; k < len1; k++) {
      if (!chars.has(s2[k - 1])) continue;
      r = indelSimilarity(p, ms, 0, k);
      if (r > best) { best = r; if (best === 1) return 100; }
    }
    for (k = 0; k < len2 - len1; k++) {
      if (!chars.has(s2[k + len1 - 1])) continue;
      r = indelSimilarity(p, ms, k, k + len1);
      if (r > best) { best = r; if (best === 1) return 100; }
    }
    for (k = Math.max(0, len2 - len1); k < len2; k++) {
      if (!chars.has(s2[k])) continue;
      r = indelSimilarity(p, ms, k, len2);
      if (r > best) { best = r; if (best === 1) return 100; }
    }
    return best * 100;
  }
  function partialRatio(a, b) {
    if (!a.length && !b.length) return 100;
    var s1 = a.length <= b.length ? a : b, s2 = a.length <= b.length ? b : a;
    var res = partialImpl(s1, s2);
    if (res !== 100 && a.length === b.length) res = Math.max(res, partialImpl(s2, s1));
    return res;
  }

  function normDistance(dist, lensum) { return lensum ? 100 - 100 * dist / lensum : 100; }

  function tokenSetRatio(q, t) {  // rapidfuzz's token_set_ratio on two normalised strings
    var a = new Set(q.split(/\s+/).filter(Boolean)), b = new Set(t.split(/\s+/).filter(Boolean));
    if (!a.size || !b.size) return 0;
    var sect = [], ab = [], ba = [];
    a.forEach(function (w) { (b.has(w) ? sect : ab).push(w); });
    b.forEach(function (w) { if (!a.has(w)) ba.push(w); });
    if (sect.length && (!ab.length || !ba.length)) return 100;
    var abJ = codepoints(ab.sort(cmp).join(" ")), baJ = codepoints(ba.sort(cmp).join(" "));
    var sectLen = codepoints(sect.join(" ")).length, sep = sectLen ? 1 : 0;
    var sectAb = sectLen + sep + abJ.length, sectBa = sectLen + sep + baJ.length;
    var dist = abJ.length + baJ.length - 2 * (abJ.length ? new Pattern(abJ).lcs(baJ, 0, baJ.length) : 0);
    var result = normDistance(dist, sectAb + sectBa);
    if (!sectLen) return result;
    return Math.max(result, normDistance(sep + abJ.length, sectLen + sectAb),
                    normDistance(sep + baJ.length, sectLen + sectBa));
  }
  function cmp(x, y) {  // Python sorts strings by code point
    var a = codepoints(x), b = codepoints(y);
    for (var k = 0; k < Math.min(a.length, b.length); k++) {
      if (a[k] !== b[k]) return a[k].codePointAt(0) - b[k].codePointAt(0);
    }
    return a.length - b.length;
  }

  var stopwords = new Set();
  function content(norm) {
    var words = norm.split(" ").filter(Boolean);
    var kept = words.filter(function (w) { return !stopwords.has(w); });
    return kept.length ? kept : words;
  }
  function carried(word, others) {
    if (others.indexOf(word) >= 0) return true;
    if (codepoints(word).length <= 4) return false;
    var n = codepoints(word).length;
    return others.some(function (o) {
      return Math.abs(codepoints(o).length - n) <= 1 && window.fastestLevenshtein.distance(word, o) <= 1;
    });
  }
  function coverage(query, text) {
    var q = content(query), t = content(text);
    if (!q.length || !t.length) return [0, 0];
    var sq = q.filter(function (w) { return carried(w, t); }).length;
    var st = t.filter(function (w) { return carried(w, q); }).length;
    return [sq / q.length, st / t.length];
  }

  function score(query, text) {  // compare.cite.score
    if (!query || !text) return 0;
    var q = codepoints(query), t = codepoints(text);
    var part = q.length <= t.length ? partialRatio(q, t) : ratio(q, t);
    var similarity = Math.max(part, 0.95 * tokenSetRatio(query, text));
    var c = coverage(query, text);
    return similarity * (0.4 + 0.6 * c[0]) * (0.9 + 0.1 * c[1]);
  }

  function round1(x) {  // Python's round(x, 1): on the exact binary value, a tie to the even digit
    var digits = Math.abs(x).toFixed(60), point = digits.indexOf(".");
    var whole = Number(digits.slice(0, point + 2)), rest = digits.slice(point + 2);
    var up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || digits[point + 1] % 2 === 1));
    var r = up ? Math.round((whole + 0.1) * 10) / 10 : whole;
    return x < 0 ? -r : r;
  }

  // -- the index ---------------------------------------------------------------------------------
  function Index(slug, base, root) {
    this.slug = slug; this.base = base; this.root = root;
  }
  Index.prototype.part = function (path) {
    return load(this.base + path + ".js", this.slug + "/" + path);
  };
  Index.prototype.open = function () {
    var self = this;
    return this.part("manifest").then(function (m) {
      if (m.format !== 1) throw new Error("this site's look-up index is of another version");
      self.m = m;
      return self;
    });
  };
  // word -> [wordings holding it, its own postings file (a number), or its postings (a rare word's), or -1]
  Index.prototype.counts = function (words) {
    var self = this, m = this.m;
    return Promise.all(words.map(function (w) {
      return self.part("v/" + (fnv1a(w) % m.words)).then(function (part) {
        var e = Object.prototype.hasOwnProperty.call(part, w) ? part[w] : 0;
        return Array.isArray(e) ? e : [e, -1];  // lookup_index: df, [df, own file], [df, postings]
      });
    }));
  };
  Index.prototype.postings = function (word, own) {
    if (typeof own === "string") return Promise.resolve(varints(own));
    var path = own >= 0 ? "p/w" + own : "p/" + (fnv1a(word) % this.m.postings);
    return this.part(path).then(function (part) { return varints(part[word] || ""); });
  };
  Index.prototype.clusters = function (k) {  // the clusters of part k, each with all its wordings
    var m = this.m;
    return this.part("r/" + k).then(function (entries) {
      if (!entries.decoded) {  // lookup_index.edits and kind, read back, once a part
        entries.forEach(function (c) {
          var base = c[4][c[2]][1], chars = null;
          c[4].forEach(function (v, j) {
            if (j !== c[2] && typeof v[1] !== "string") {
              if (v[1] === 0) v[1] = base;
              else {
                chars = chars || codepoints(base);
                var out = [], at = 0;
                v[1].forEach(function (e) {
                  if (typeof e === "string") out.push(e);
                  else if (e >= 0) { out.push(chars.slice(at, at + e).join("")); at += e; }
                  else at -= e;
                });
                v[1] = out.join("");
              }
            }
            if (typeof v[2] === "number") {
              var bits = Math.floor(v[2] / 8);
              v[2] = [m.relations[v[2] % 8], m.changes.filter(function (_, b) { return bits & (1 << b); })];
            }
          });
        });
        entries.decoded = true;
      }
      return entries;
    });
  };
  Index.prototype.article = function (n) {
    var size = this.m.parts.articles;
    return this.part("a/" + Math.floor(n / size)).then(function (p) { return p[n % size]; });
  };
  Index.prototype.cite = function (n) {
    var size = this.m.parts.cites;
    return this.part("f/" + Math.floor(n / size)).then(function (p) { return p[n % size]; });
  };

  // -- cite, in the browser ----------------------------------------------------------------------
  function ftsWords(norm, counts, settings) {  // compare.cite.fts_query's choice of words
    var words = Array.from(new Set(norm.split(" ").filter(Boolean)));
    var rare = words.filter(function (w) { return !stopwords.has(w); });
    if (!rare.length) rare = words;
    var held = rare.filter(function (w) { return counts[w]; });
    held.sort(function (x, y) { return counts[x] - counts[y] || rare.indexOf(x) - rare.indexOf(y); });
    var chosen = [], rows = 0;
    for (var k = 0; k < Math.min(held.length, settings.query_words); k++) {
      var w = held[k];
      if (chosen.length >= 2 && rows + counts[w] > settings.query_rows) break;
      chosen.push(w);
      rows += counts[w];
    }
    return chosen;
  }

  function useTables(indexes) {  // normalize_word's tables, merged from every story's manifest
    var uk = {}, keep = new Set();
    indexes.forEach(function (ix) {
      Object.keys(ix.m.spelling).forEach(function (us) { uk[us] = ix.m.spelling[us]; });
      ix.m.ize_keep.forEach(function (w) { keep.add(w); });
    });
    spelling = {uk: uk, keep: keep};
    stopwords = new Set(indexes[0].m.stopwords);
  }

  function search(indexes, query) {
    var settings = indexes[0].m.settings;
    if (!spelling) useTables(indexes);
    var q = query.trim();
    if (!q) return Promise.resolve({query: query, error: "Type or paste a quotation or sentence to look up."});
    var length = codepoints(q).length;
    if (length > settings.max_chars) {
      return Promise.resolve({query: q, error: "The query is " + length + " characters long; give at most " +
                              settings.max_chars + "."});
    }
    var norm = normalize(q);
    if (!norm) return Promise.resolve({query: q, error: "The query has no words to look up."});
    // the counts of its distinctive words only: fts_query chooses among them (among all, when it has none)
    var words = Array.from(new Set(norm.split(" ")));
    var distinctive = words.filter(function (w) { return !stopwords.has(w); });
    if (distinctive.length) words = distinctive;
    var t0 = performance.now(), stages = lookup.stages = {};
    return Promise.all(indexes.map(function (ix) { return ix.counts(words); })).then(function (perStory) {
      stages.counts = performance.now() - t0;
      var counts = {};
      words.forEach(function (w, k) {
        counts[w] = perStory.reduce(function (n, story) { return n + story[k][0]; }, 0);
      });
      var chosen = ftsWords(norm, counts, settings);
      // FTS5's bm25() over the whole index: every story's wordings count, as in the workspace
      var N = 0, tokens = 0;
      indexes.forEach(function (ix) { N += ix.m.rows; tokens += ix.m.tokens; });
      var avgdl = N ? tokens / N : 0;
      var jobs = [];
      indexes.forEach(function (ix, s) {
        chosen.forEach(function (w) {
          var k = words.indexOf(w), e = perStory[s][k];
          if (e[0]) jobs.push(ix.postings(w, e[1]).then(function (p) { return [s, w, p]; }));
        });
      });
      return Promise.all(jobs).then(function (lists) {
        stages.postings = performance.now() - t0;
        // a wording is (story, cluster, place in the cluster): FTS5's rowid order breaks ties
        var bm25 = indexes.map(function () { return new Map(); });
        lists.forEach(function (l) {
          var map = bm25[l[0]], n = counts[l[1]], p = l[2];
          var idf = Math.log((N - n + 0.5) / (n + 0.5));
          if (idf <= 0) idf = 1e-6;
          for (var k = 0, cluster = 0; k < p.length;) {
            cluster += p[k++];
            var j = p[k++], x = p[k++], tf = x & 1 ? p[k++] : 1, dl = Math.floor(x / 2);
            var key = cluster * 1048576 + j;
            map.set(key, (map.get(key) || 0) + idf * (tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl)));
          }
        });
        var ranked = [];
        bm25.forEach(function (map, s) { map.forEach(function (v, key) { ranked.push([s, key, v]); }); });
        ranked.sort(function (x, y) { return y[2] - x[2] || x[0] - y[0] || x[1] - y[1]; });
        ranked = ranked.slice(0, settings.candidates);
        var need = new Map();
        ranked.forEach(function (e) {
          var ix = indexes[e[0]], cluster = Math.floor(e[1] / 1048576), part = Math.floor(cluster / ix.m.parts.clusters);
          var k = e[0] + "/" + part;
          if (!need.has(k)) need.set(k, [e[0], part, []]);
          need.get(k)[2].push([cluster % ix.m.parts.clusters, e[1] % 1048576]);
        });
        return Promise.all(Array.from(need.values()).map(function (n) {
          return indexes[n[0]].clusters(n[1]).then(function (entries) {
            return n[2].map(function (at) {
              var c = entries[at[0]];
              return {story: n[0], cluster: c, text: c[4][at[1]][1]};
            });
          });
        }));
      }).then(function (groups) {
        stages.wordings = performance.now() - t0;
        var best = new Map();
        groups.forEach(function (rows) {
          rows.forEach(function (r) {
            var s = score(norm, normalize(r.text));
            var key = r.story + "\u0000" + r.cluster[0];
            var b = best.get(key);
            if (!b || s > b.score) best.set(key, {score: s, story: r.story, cluster: r.cluster});
          });
        });
        stages.scored = performance.now() - t0;
        var all = Array.from(best.values());
        all.sort(function (x, y) {
          return y.score - x.score || cmp(indexes[x.story].slug, indexes[y.story].slug) ||
                 cmp(x.cluster[0], y.cluster[0]);
        });
        var matches = all.filter(function (b) { return b.score >= settings.match; }).slice(0, settings.limit);
        var result = {query: q, matches: matches, chosen: chosen};
        if (!matches.length) {
          result.suggestions = all.filter(function (b) { return b.score >= settings.suggest; }).slice(0, settings.suggestions);
        }
        return Promise.all([describe(indexes, matches), describe(indexes, result.suggestions || [])]).then(function (d) {
          result.matches = d[0];
          result.suggestions = d[1];
          return result;
        });
      });
    });
  }

  // A match as `pressdiff cite --format json` has it (pressdiff/lookup.py's _match).
  function describe(indexes, found) {
    return Promise.all(found.map(function (b) {
      var ix = indexes[b.story], c = b.cluster, variants = c[4], origin = variants[c[2]];
      return Promise.all([Promise.all(variants.map(function (v) { return ix.article(v[0]); })),
                          ix.cite(origin[0])]).then(function (got) {
        var arts = got[0], cite = got[1], o = arts[c[2]];
        var carriers = new Set(variants.map(function (v) { return v[0]; })).size;
        var page = ix.m.pages[carriers > 1 ? "shared" : "single"].replace("{cluster}", c[0]).replace("{origin}", o[0]);
        return {
          story: ix.slug, root: ix.root, cluster: c[0], score: round1(b.score),
          canonical: c.length > 5 ? c[5] : origin[1], speaker: c[1], page: page,
          first: {outlet: o[1], url: o[2], published: o[3], label: o[4], article: o[0],
                  archive: cite[0], apa: cite[1], csl: cite[2],
                  origin_basis: ix.m.bases[c[3]], phrase: ix.m.origins[ix.m.bases[c[3]]]},
          variants: variants.map(function (v, j) {
            var a = arts[j];
            return {outlet: a[1], url: a[2], published: a[3], label: a[4], article: a[0], text: v[1],
                    relation: v[2][0], changes: v[2][1], quoted: !!v[3], origin: j === c[2]};
          })
        };
      });
    }));
  }

  // -- citations: compare/cite.py's csl_item and bibtex, for a match ------------------------------
  function citation(m) {  // pressdiff/lookup.py's citation_item: the first carrier's item with the quotation
    var base = m.first.csl, item = {};  // csl_item without its key: the key names the cluster
    var year = (m.first.published || "").slice(0, 4) || "nd";
    Object.keys(base).forEach(function (k) { item[k] = base[k]; });
    item.id = m.story + "-" + m.cluster + "-" + year;
    var note = "Quoted: \u201c" + m.canonical + "\u201d";
    item.note = base.note ? note + "; " + base.note : note;
    var ordered = {};  // csl_item's key order: note after the archive's fields
    ["id", "type", "title", "container-title", "URL", "author", "issued", "archive", "archive_location",
     "accessed", "note"].forEach(function (k) { if (k in item) ordered[k] = item[k]; });
    return ordered;
  }
  var BIB = {"\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "%": "\\%", "&": "\\&", "$": "\\$", "#": "\\#",
             "_": "\\_", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"};
  function bib(value) {
    return String(value).split(/\s+/).filter(Boolean).join(" ").replace(/[\\{}%&$#_~^]/g, function (ch) { return BIB[ch]; });
  }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function bibtex(item) {
    var fields = [["title", "{" + bib(item.title) + "}"], ["journal", bib(item["container-title"] || "")]];
    if (item.author && item.author.length) {
      fields.push(["author", item.author.map(function (a) {
        return "family" in a ? bib(a.family + ", " + a.given) : "{" + bib(a.literal) + "}";
      }).join(" and ")]);
    }
    if (item.issued) {
      var parts = item.issued["date-parts"][0];
      fields.push(["year", String(parts[0])]);
      if (parts.length > 1) fields.push(["month", String(parts[1])]);
      fields.push(["date", parts.map(function (p, k) { return pad(p, k ? 2 : 4); }).join("-")]);
    }
    fields.push(["url", item.URL]);
    if (item.accessed) {
      var d = item.accessed["date-parts"][0];
      fields.push(["urldate", pad(d[0], 4) + "-" + pad(d[1], 2) + "-" + pad(d[2], 2)]);
    }
    if (item.note) fields.push(["note", bib(item.note)]);
    var key = item.id.replace(/[^A-Za-z0-9:_-]/g, "") || "pressdiff";
    return "@article{" + key + ",\n" + fields.map(function (f) { return "  " + f[0] + " = {" + f[1] + "}"; }).join(",\n") + "\n}";
  }

  lookup.normalize = function (text) { return normalize(text); };
  lookup.score = score;
  lookup.round1 = round1;
  lookup.fnv1a = fnv1a;
  lookup.varints = varints;
  lookup.ratio = function (a, b) { return ratio(codepoints(a), codepoints(b)); };
  lookup.partialRatio = function (a, b) { return partialRatio(codepoints(a), codepoints(b)); };
  lookup.tokenSetRatio = tokenSetRatio;
  lookup.citation = citation;
  lookup.bibtex = bibtex;

  // -- the page ----------------------------------------------------------------------------------
  function el(tag, attrs, children) {  // an element with attributes and children: text is always text
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "className") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  var onDisk = location.protocol === "file:";
  function local(path) {  // a site address as this page can open it: from disk, a folder needs its index.html
    if (!onDisk) return path;
    return path.replace(/\/(#|$)/, "/index.html$1");
  }
  function safeUrl(url) {  // a scraped address may be a link only when it is http(s)
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  function marked(origin, text) {  // the wording with what differs from the origin's marked, by jsdiff
    var out = el("span", {className: "pd-lookup-words"});
    window.Diff.diffWordsWithSpace(origin, text).forEach(function (part) {
      if (part.removed) out.appendChild(el("del", {text: part.value}));
      else if (part.added) out.appendChild(el("ins", {text: part.value}));
      else out.appendChild(document.createTextNode(part.value));
    });
    return out;
  }

  function copyButton(label, getText) {
    var button = el("button", {type: "button", className: "md-button pd-lookup-copy", text: "Copy " + label});
    button.addEventListener("click", function () {
      var text = getText(), done = function () { button.textContent = "Copied " + label; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else { fallbackCopy(text); done(); }
    });
    return button;
  }
  function fallbackCopy(text) {
    var area = el("textarea", {"aria-hidden": "true", className: "pd-lookup-offscreen"});
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable on the page */ }
    area.remove();
  }

  function citeBlock(m) {
    var item = citation(m);
    var forms = [["plain text", m.first.apa || ""], ["BibTeX", bibtex(item)], ["CSL-JSON", JSON.stringify([item], null, 2)]];
    var body = el("div", {className: "pd-lookup-cite"});
    forms.forEach(function (f) {
      var text = f[1];
      body.appendChild(el("h4", {text: f[0]}));
      body.appendChild(el("pre", {className: "pd-lookup-code"}, [el("code", {text: text})]));
      body.appendChild(copyButton(f[0], function () { return text; }));
    });
    return el("details", {className: "pd-lookup-details"}, [el("summary", {text: "Cite this"}), body]);
  }

  function dateOf(v) { return v.label || "date unknown"; }

  function originLine(m) {
    var phrase = m.first.phrase.split("\u0000");
    var text = phrase[0].charAt(0).toUpperCase() + phrase[0].slice(1);
    var line = el("p", {className: "pd-lookup-origin"}, [el("strong", {text: text}), m.first.outlet || m.first.article,
                                                           phrase.slice(1).join(m.first.outlet || "")]);
    if (m.first.origin_basis === "published" || m.first.origin_basis === "credited") {
      line.appendChild(document.createTextNode(" (" + dateOf(m.first) + ")"));
    }
    if (m.speaker) line.appendChild(document.createTextNode(" \u00b7 speaker: " + m.speaker));
    return line;
  }

  function renderMatch(m, n, suggestion) {
    var root = m.root, origin = m.variants.find(function (v) { return v.origin; }) || m.variants[0];
    var heading = el("h2", {className: "pd-lookup-title", tabindex: "-1"},
                     [(suggestion ? "Closest candidate " : "Match ") + n + ": \u201c" + m.canonical + "\u201d"]);
    var box = el("section", {className: "pd-lookup-match", "aria-label": (suggestion ? "Candidate " : "Match ") + n});
    box.appendChild(heading);
    box.appendChild(el("p", {className: "pd-lookup-score"}, [el("strong", {text: "Score " + m.score.toFixed(1)}),
                                                             " of 100 \u00b7 story " + m.story]));
    box.appendChild(originLine(m));
    var links = el("p", {className: "pd-lookup-links"}, [el("a", {href: local(root + m.page), text: "Quotation page"})]);
    var a = m.first.archive || {};
    var wayback = safeUrl(a.wayback);
    links.appendChild(document.createTextNode(" \u00b7 "));
    links.appendChild(el("a", {href: wayback || local(root + "articles/" + m.first.article + "/"),
                               text: wayback ? "Archived capture (Wayback Machine)" : "Archived capture and provenance"}));
    var first = safeUrl(m.first.url);
    if (first) {
      links.appendChild(document.createTextNode(" \u00b7 "));
      links.appendChild(el("a", {href: first, rel: "nofollow noopener", text: "Original article"}));
    }
    box.appendChild(links);
    box.appendChild(el("p", {className: "pd-lookup-archive",
                             text: a.record_id ? "Archived " + (a.captured_at || "") + " in " + a.warc + " " + a.record_id +
                                                 " \u00b7 SHA-256 " + a.sha256
                                               : "No archived capture (imported article)."}));
    var list = el("ol", {className: "pd-lookup-variants", "aria-label": "Every outlet's wording"});
    m.variants.forEach(function (v) {
      var tags = el("span", {className: "pd-lookup-tags"});
      var names = v.changes.length ? v.changes : [v.relation];
      names.forEach(function (c) { tags.appendChild(el("span", {className: "pd-tag", text: c})); });
      var url = safeUrl(v.url);
      list.appendChild(el("li", {}, [
        el("p", {className: "pd-lookup-who"}, [url ? el("a", {href: url, rel: "nofollow noopener", text: v.outlet || v.article})
                                                   : el("span", {text: v.outlet || v.article}),
                                               " (" + dateOf(v) + (v.origin ? "; listed first" : "") + "; " +
                                               (v.quoted ? "in quotation marks" : "without quotation marks") + ") ",
                                               tags]),
        el("blockquote", {}, [v.origin ? el("span", {text: v.text}) : marked(origin.text, v.text)])
      ]));
    });
    box.appendChild(el("h3", {text: "Every outlet's wording"}));
    box.appendChild(list);
    box.appendChild(citeBlock(m));
    return box;
  }

  function render(result, out, status) {
    out.textContent = "";
    if (result.error) { status.textContent = result.error; return; }
    if (result.matches.length) {
      status.textContent = result.matches.length + " match" + (result.matches.length === 1 ? "" : "es") +
        " for \u201c" + short(result.query) + "\u201d. Best: score " + result.matches[0].score.toFixed(1) + ", " +
        result.matches[0].first.phrase.replace("\u0000", result.matches[0].first.outlet || "") + ".";
      result.matches.forEach(function (m, k) { out.appendChild(renderMatch(m, k + 1, false)); });
      return;
    }
    status.textContent = "No match: no quotation or sentence in this archive matches \u201c" + short(result.query) + "\u201d." +
      (result.suggestions.length ? " Closest candidates follow." : " Nothing in the archive comes close.");
    result.suggestions.forEach(function (m, k) { out.appendChild(renderMatch(m, k + 1, true)); });
  }
  function short(q) { q = q.replace(/\s+/g, " "); return q.length > 120 ? q.slice(0, 120) + "\u2026" : q; }

  function start() {
    var form = document.getElementById("pd-lookup-form");
    if (!form) return;
    var input = document.getElementById("pd-lookup-q");
    var out = document.getElementById("pd-lookup-results");
    var status = document.getElementById("pd-lookup-status");
    var stories = JSON.parse(form.getAttribute("data-stories"));
    var ready = Promise.all(stories.map(function (s) { return new Index(s[0], s[1], s[2]).open(); }))
      .then(function (indexes) { useTables(indexes); return indexes; });
    lookup.ready = ready;
    var running = 0;
    function run(q) {
      var mine = ++running;
      status.textContent = "Looking up\u2026";
      var started = performance.now();
      ready.then(function (indexes) { return search(indexes, q); }).then(function (result) {
        if (mine !== running) return;
        render(result, out, status);
        lookup.last = {ms: performance.now() - started, at: performance.now(), result: result};
        document.documentElement.setAttribute("data-lookup-done", String(mine));
      }).catch(function (e) {
        if (mine !== running) return;
        status.textContent = "The look-up failed: " + e.message;
        document.documentElement.setAttribute("data-lookup-done", String(mine));
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = input.value;
      var url = new URL(location.href);
      url.searchParams.set("q", q);
      try { history.replaceState(null, "", url.toString()); } catch (err) { /* file:// in some browsers */ }
      run(q);
    });
    input.addEventListener("keydown", function (e) {  // Enter looks up, Shift+Enter starts a new line
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      // Material's search also reads ?q= when its script starts (after this one) and opens its own
      // search over the page: it is taken out of the address until the page has loaded.
      var address = new URL(location.href);
      address.searchParams.delete("q");
      try {
        history.replaceState(null, "", address.toString());
        window.addEventListener("load", function () {
          address.searchParams.set("q", q);
          history.replaceState(null, "", address.toString());
        });
      } catch (err) { /* the address stays as it is */ }
      input.value = q;
      run(q);
    }
  }
  lookup.start = start;
  lookup.search = search;
  lookup.Index = Index;
  lookup.useTables = useTables;
  // The page's form comes before this script: start now, not after the theme's scripts have run.
  start();
})();
