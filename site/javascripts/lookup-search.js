/* The Look-up page's search: `pressdiff cite` in the reader's browser, from the index the site
   build writes (pressdiff/publish/lookup_index.py explains its parts).

   Every part is a script that calls pressdiffLookup.put(name, data): scripts load from file://,
   where Chromium refuses fetch(). A query loads the counts of its own words, picks its rarest as
   compare/cite.fts_query does, ranks the wordings holding them by FTS5's bm25() (k1 1.2, b 0.75,
   as SQLite computes it), keeps the best candidates, and scores those with compare/cite.score
   (lookup-measures.js). Citations are compare/cite.py's csl_item and bibtex. */
(function () {
  "use strict";
  var M = window.pressdiffMeasures, normalize = M.normalize, score = M.score, round1 = M.round1, cmp = M.cmp;
  var codepoints = M.codepoints, stopwords = new Set();

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
    stopwords = new Set(indexes[0].m.stopwords);
    M.setTables(uk, keep, stopwords);
  }

  function search(indexes, query) {
    var settings = indexes[0].m.settings;
    if (!M.hasTables()) useTables(indexes);
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

  lookup.normalize = normalize;
  lookup.score = score;
  lookup.round1 = round1;
  lookup.fnv1a = fnv1a;
  lookup.varints = varints;
  lookup.citation = citation;
  lookup.bibtex = bibtex;
  lookup.search = search;
  lookup.Index = Index;
  lookup.useTables = useTables;
})();
