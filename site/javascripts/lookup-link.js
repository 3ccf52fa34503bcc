/* Material's search box, on every page: a query of more than a few words is probably a
   remembered quotation, so a link offers it to the Look-up page (lookup/?q=...), which answers
   as `pressdiff cite` does. The link is built with the DOM; the query is only ever a URL parameter. */
(function () {
  "use strict";
  var WORDS = 5;  // "a few words": from five on, keyword search is the wrong tool

  function lookupAddress(query) {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    var page = base.replace(/\/?$/, "/") + "lookup/" + (location.protocol === "file:" ? "index.html" : "");
    return page + "?q=" + encodeURIComponent(query);
  }

  function update(input) {
    var wrap = document.querySelector(".md-search__scrollwrap") || document.querySelector(".md-search__output");
    if (!wrap) return;
    var box = document.getElementById("pd-lookup-offer");
    var words = input.value.trim().split(/\s+/).filter(Boolean);
    if (words.length < WORDS) { if (box) box.hidden = true; return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "pd-lookup-offer";
      box.className = "pd-lookup-offer";
      var link = document.createElement("a");
      link.className = "md-button";
      link.textContent = "Look up a quotation";
      box.appendChild(link);
      box.appendChild(document.createTextNode(" who said it first, how each outlet changed it, how to cite it"));
      wrap.insertBefore(box, wrap.firstChild);
    }
    box.hidden = false;
    box.firstChild.href = lookupAddress(input.value.trim());
  }

  function attach() {
    var input = document.querySelector(".md-search__input");
    if (!input) return;
    input.addEventListener("input", function () { update(input); });
    input.addEventListener("keyup", function () { update(input); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attach);
  else attach();
})();
