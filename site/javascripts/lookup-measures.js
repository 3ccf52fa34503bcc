/* The Look-up page's measures: compare/text.py's normalisation and compare/cite.py's score, with
   rapidfuzz's ratio, partial_ratio and token_set_ratio written out (fuzzball, the JavaScript port
   of thefuzz, rounds to whole numbers and finds partial matches by difflib's heuristic blocks, so
   it would rank differently); Levenshtein distance comes from fastest-levenshtein (vendored from
   npm). tests/test_lookup_page.py checks both against the Python. */
(function () {
  "use strict";

  // -- normalisation: compare/text.py's tokenize and normalize_word ------------------------------
  var WORD = /[\p{L}\p{N}_]+(?:['\u2019`\u201b\u2032\u02bc][\p{L}\p{N}_]+)*/gu;
  var IZE = /(?<=[\p{L}\p{N}_]{2})(y|i)z(e|es|ed|ing|ation|ations|er|ers)$/u;
  var spelling = null;  // normalize_word's tables, from the stories' manifests (setTables)

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


  window.pressdiffMeasures = {
    normalize: normalize, score: score, round1: round1, cmp: cmp, codepoints: codepoints,
    ratio: function (a, b) { return ratio(codepoints(a), codepoints(b)); },
    partialRatio: function (a, b) { return partialRatio(codepoints(a), codepoints(b)); },
    tokenSetRatio: tokenSetRatio,
    setTables: function (uk, keep, stop) { spelling = {uk: uk, keep: keep}; stopwords = stop; wordCache.clear(); },
    hasTables: function () { return spelling !== null; }
  };
})();
