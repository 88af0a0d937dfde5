// The site's search, fully static: the build wrote an index under search/ (token shards and document chunks,
// see Sources/Search/SearchIndex.swift); this script loads only the shards of a query's tokens and the chunks of
// the pages they name. Chinese is indexed by pairs of neighbouring characters, so any two or more characters
// find every page that contains them; Latin words and numbers are indexed whole. A page is listed only if its
// text contains every term of the query (a phrase in quotes as one term), title matches first. The words it
// shows come from the search page's data-* attributes, not from here. Nothing is loaded from elsewhere.
(function () {
  "use strict";
  var MAX_RESULTS = 50;
  var EXCERPT = 48;

  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-query");
  var form = input && input.form;
  if (!results || !status || !input || !window.fetch) { return; }
  var base = results.getAttribute("data-index") || "search/";
  var loads = {};

  function say(key, values) {
    var text = status.getAttribute("data-" + key) || "";
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    status.textContent = text;
  }

  function load(path) {
    if (!loads[path]) {
      loads[path] = fetch(base + path).then(function (response) {
        if (!response.ok) { throw new Error(path + ": " + response.status); }
        return response.json();
      });
    }
    return loads[path];
  }

  // FNV-1a over UTF-8, as SearchText.hash computes it.
  function hash(token) {
    var bytes = new TextEncoder().encode(token);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function isIdeographic(cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
  }
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  function normalize(text) { return text.normalize("NFKC").toLowerCase(); }

  // The tokens of normalized text, as SearchText.tokens makes them: pairs of neighbouring ideographs (a lone
  // one by itself), and runs of letters and digits.
  function tokens(text) {
    var out = [], word = "", previous = null, run = 0;
    function endRun() { if (run === 1) { out.push(previous); } run = 0; previous = null; }
    function flush() { if (word) { out.push(word); } word = ""; }
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      if (isIdeographic(cp)) {
        flush();
        if (previous !== null) { out.push(previous + ch); }
        previous = ch;
        run += 1;
      } else {
        endRun();
        if (WORD.test(ch)) { word += ch; } else { flush(); }
      }
    }
    endRun();
    flush();
    return out;
  }

  // Terms: phrases in quotes whole, the rest split at spaces.
  function terms(query) {
    var out = [], re = /"([^"]*)"|“([^”]*)”|(\S+)/g, match;
    while ((match = re.exec(query)) !== null) {
      var term = normalize((match[1] || match[2] || match[3] || "").trim());
      if (term) { out.push(term); }
    }
    return out;
  }

  // A term can be looked up when it makes a token the index holds for every page containing it: a pair of
  // ideographs or a word. A single ideograph inside a longer run is not indexed by itself.
  function lookupTokens(term) {
    return tokens(term).filter(function (token) { return !([...token].length === 1 && isIdeographic(token.codePointAt(0))); });
  }

  function intersect(lists) {
    lists.sort(function (a, b) { return a.length - b.length; });
    var set = new Set(lists[0]);
    for (var i = 1; i < lists.length; i++) {
      var next = new Set(lists[i]);
      set = new Set([...set].filter(function (id) { return next.has(id); }));
    }
    return [...set];
  }

  // The normalized text with, for each of its UTF-16 units, the index in the original it came from.
  function folded(text) {
    var out = "", map = [];
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i), ch = String.fromCodePoint(cp), n = normalize(ch);
      for (var k = 0; k < n.length; k++) { map.push(i); }
      out += n;
      i += ch.length;
    }
    map.push(text.length);
    return { text: out, map: map };
  }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1 && n < 50) { n += 1; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  function excerpt(text, found) {
    var fold = folded(text), start = -1, i;
    for (i = 0; i < found.length && start === -1; i++) { start = fold.text.indexOf(found[i]); }
    var from = Math.max(0, (start === -1 ? 0 : fold.map[start]) - EXCERPT / 2);
    var to = Math.min(text.length, from + EXCERPT * 2);
    var piece = document.createElement("p");
    piece.className = "search-excerpt";
    var window_ = text.slice(from, to), wfold = folded(window_), marks = [];
    found.forEach(function (term) {
      for (var at = wfold.text.indexOf(term); at !== -1; at = wfold.text.indexOf(term, at + term.length)) {
        marks.push([wfold.map[at], wfold.map[at + term.length]]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var cursor = 0;
    if (from > 0) { piece.appendChild(document.createTextNode("…")); }
    marks.forEach(function (mark) {
      if (mark[0] < cursor) { return; }
      piece.appendChild(document.createTextNode(window_.slice(cursor, mark[0])));
      var m = document.createElement("mark");
      m.textContent = window_.slice(mark[0], mark[1]);
      piece.appendChild(m);
      cursor = mark[1];
    });
    piece.appendChild(document.createTextNode(window_.slice(cursor)));
    if (to < text.length) { piece.appendChild(document.createTextNode("…")); }
    return piece;
  }

  function show(query, hits) {
    results.textContent = "";
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      var heading = document.createElement("h2");
      heading.className = "search-title";
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(excerpt(hit.text, hit.terms));
      results.appendChild(item);
    });
    if (!hits.length) { say("none", { q: query }); }
    else if (hits.length > MAX_RESULTS) { say("more", { n: hits.length, shown: MAX_RESULTS }); }
    else { say("found", { n: hits.length }); }
  }

  var generation = 0;
  function run(query) {
    var mine = ++generation;
    var wanted = terms(query);
    results.textContent = "";
    if (!wanted.length) { status.textContent = ""; return; }
    var lookups = [];
    wanted.forEach(function (term) { lookups = lookups.concat(lookupTokens(term)); });
    if (!lookups.length) { say("short", {}); return; }
    say("loading", {});
    load("meta.json").then(function (meta) {
      var hashes = lookups.map(hash);
      return Promise.all(hashes.map(function (h) { return load("t/" + (h % meta.shards) + ".json"); })).then(function (shards) {
        var ids = intersect(shards.map(function (shard, i) { return shard[String(hashes[i])] || []; }));
        var chunks = [...new Set(ids.map(function (id) { return id % meta.chunks; }))];
        return Promise.all(chunks.map(function (c) { return load("d/" + c + ".json"); })).then(function (loaded) {
          var docs = {};
          loaded.forEach(function (chunk) { Object.keys(chunk).forEach(function (id) { docs[id] = chunk[id]; }); });
          return ids.map(function (id) { return docs[String(id)]; }).filter(Boolean);
        });
      });
    }).then(function (docs) {
      if (mine !== generation) { return; }
      var phrase = normalize(query.replace(/["“”]/g, "").trim());
      var hits = [];
      docs.forEach(function (doc) {
        var title = normalize(doc[1]), text = normalize(doc[2]);
        var all = title + " " + text;
        if (!wanted.every(function (term) { return all.indexOf(term) !== -1; })) { return; }
        var score = 0;
        if (title === phrase) { score += 10000; }
        if (title.indexOf(phrase) !== -1) { score += 1000; }
        if (text.indexOf(phrase) !== -1) { score += 100; }
        wanted.forEach(function (term) { if (title.indexOf(term) !== -1) { score += 50; } score += count(text, term); });
        hits.push({ url: doc[0], title: doc[1], text: doc[2], terms: wanted, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.title.length - b.title.length || (a.url < b.url ? -1 : 1); });
      show(query, hits);
    }).catch(function () {
      if (mine === generation) { say("error", {}); }
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value); }, 250);
  });
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.pathname + url.search);
      run(input.value);
    });
  }
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
