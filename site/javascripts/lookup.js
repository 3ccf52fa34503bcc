/* The Look-up page (lookup/): its form, the address's ?q=, and the answer drawn.

   Untrusted text (the query, every wording, outlet and title) only ever goes into the page as
   text nodes or attribute values set through the DOM, never as HTML. Each outlet's changes are
   marked by jsdiff (vendored from npm). */
(function () {
  "use strict";
  var lookup = window.pressdiffLookup, citation = lookup.citation, bibtex = lookup.bibtex;
  var search = lookup.search, Index = lookup.Index, useTables = lookup.useTables;

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
  // The page's form comes before this script: start now, not after the theme's scripts have run.
  start();
})();

