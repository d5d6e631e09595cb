/* The site's search box: entry search over the knowledge base, on MiniSearch.
 *
 * `kb build` writes search/kb-search.json from the knowledge base itself (one record per
 * term and article: title, kind, aliases, tags, summary as text, an article's headings,
 * the words of its text; see tools/kb/site/search_data.py). Nothing is loaded with a
 * page: the library and the data are fetched from the site itself the first time the box
 * is used, and the index is built then, in the page.
 *
 * A query is answered in this order, as `kb lookup` does: the entry the whole query names
 * (name, alias or slug; case, spacing, hyphens, accents, British spellings and plurals
 * ignored), else the one entry it is a plausible misspelling of; then the entries that a
 * run of its words names ("dense layer parameters"); then MiniSearch's ranking (BM25 with
 * names and aliases above headings and summaries above the text; fuzzy words for typos, the
 * last word also as a prefix, words stemmed, a word that is the name of an entry also
 * searched as that entry's other one-word names), keeping only entries that match most of
 * the query's words, so that one shared word is not an answer.
 *
 * The box is Material's own markup and classes, without Material's search component (the
 * engine's search plugin is off): `/`, `s` and `f` open it, the arrow keys move through
 * the results, Enter opens one, Escape closes it, and the words are highlighted on the
 * page reached (?h=). Content is text: it reaches the page through textContent only.
 */
(function () {
  "use strict";
  if (window.kbSearch) return;

  const SCRIPT = document.currentScript && document.currentScript.src;
  const ROOT = new URL("../../", SCRIPT || location.href); // assets/javascripts/ -> root
  const DATA = new URL("search/kb-search.json", ROOT);
  const LIBRARY = new URL("assets/vendor/minisearch/minisearch.js", ROOT);
  const LIMIT = 10;
  const BOOST = { t: 6, a: 5, h: 2, s: 2, g: 1.5, b: 1 };
  const FIELDS = Object.keys(BOOST);
  const EXPANSION_BOOST = 0.5; // an entry's other one-word names, for a word that names it
  const MIN_EVIDENCE = 0.5; // a result's least rarity-weighted share of the query's words
  const BODY_EVIDENCE = 0.6; // a word found only in the text is this much evidence
  const FUZZY_EVIDENCE = 0.7; // ... and a misspelt word found by its spelling, this much
  const PREFIX_EVIDENCE = 0.8; // ... and a word found as the start of a longer one
  const EVIDENCE_POWER = 4; // score = MiniSearch's score x evidence ** EVIDENCE_POWER
  const MENTION_BOOST = 1.5; // an entry named by a run of two or more of the query's words
  const SINGLE_BOOST = 1.5; // ... by one of them
  const ARTICLE_WEIGHT = 0.6; // an article's score (its text holds every word) x this
  let explained = []; // the last ranking, with scores and evidence (kbSearch.explain)
  const ICONS = {
    magnify: "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5",
    back: "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
  };
  const STYLE = `
.kb-search-kind{display:inline-block;margin-left:.5em;padding:0 .45em;border-radius:.2em;
  font-size:.6rem;font-weight:700;line-height:1.6;letter-spacing:.02em;vertical-align:.15em;
  text-transform:uppercase;color:var(--md-primary-bg-color);background:var(--md-primary-fg-color)}
.kb-search-kind--article{color:var(--md-default-fg-color);background:var(--md-accent-fg-color--transparent);
  outline:1px solid var(--md-accent-fg-color)}
.md-search-result .kb-search-aliases{margin:.2em 0 0;color:var(--md-default-fg-color--light);font-size:.64rem}
.md-search-result__meta a{color:inherit;text-decoration:underline}`;

  // ---- text: folded, split, stemmed; the data file's own stop words ------------------
  let STOP = new Set();
  const BRITISH = /(?<=\p{L}\p{L})is(?=ations?\b|ing\b|ed\b|ers?\b|e\b|es\b|abl)/gu;
  const WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011'\u2019][\p{L}\p{N}]+)*(?:\+\+|#)?/gu;

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(BRITISH, "iz");
  }

  function nameKey(text) { // as kb's name_key: case, width, spaces and punctuation ignored
    return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}+#]/gu, "");
  }

  function tokenize(text) { // t-SNE -> tsne, t, sne
    const out = [];
    for (const match of fold(text).matchAll(WORD)) {
      const parts = match[0].split(/[-\u2010\u2011'\u2019]/);
      out.push(parts.join(""));
      if (parts.length > 1) out.push(...parts);
    }
    return out;
  }

  function undouble(word) {
    return /([b-df-hj-np-tv-z])\1$/.test(word) && !/(ll|ss|zz)$/.test(word)
      ? word.slice(0, -1) : word;
  }

  function stem(word) { // a light English stemmer: plurals, -ing, -ed, -ly, a final -e
    if (word.length <= 3 || /\d/.test(word)) return word;
    if (word.endsWith("ies") && word.length > 4) word = word.slice(0, -3) + "y";
    else if (word.endsWith("sses")) word = word.slice(0, -2);
    else if (word.endsWith("s") && !/(ss|us|is|as)$/.test(word)) word = word.slice(0, -1);
    if (word.length > 5 && word.endsWith("ing")) word = undouble(word.slice(0, -3));
    else if (word.length > 4 && word.endsWith("ed")) word = undouble(word.slice(0, -2));
    else if (word.length > 5 && word.endsWith("ly")) word = word.slice(0, -2);
    if (word.length > 4 && word.endsWith("e")) word = word.slice(0, -1);
    return word;
  }

  function processTerm(term) {
    if (term.length < 2 || STOP.has(term)) return null;
    return stem(term);
  }

  function queryTerms(query) {
    return [...new Set(tokenize(query).map(processTerm).filter(Boolean))];
  }

  function variants(key) { // as kb's: accents folded, British spellings, plural or singular
    const folded = fold(key);
    const out = [folded];
    for (const base of new Set([key, folded])) {
      if (base.endsWith("ices")) out.push(base.slice(0, -4) + "ix");
      if (base.endsWith("ies")) out.push(base.slice(0, -3) + "y");
      if (base.endsWith("es")) out.push(base.slice(0, -2));
      if (base.endsWith("s")) out.push(base.slice(0, -1));
      else out.push(base + "s");
    }
    return [...new Set(out)].filter((v) => v && v !== key);
  }

  function distance(a, b, most) { // optimal string alignment (a swap is one edit)
    if (Math.abs(a.length - b.length) > most) return most + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        row.push(value);
        best = Math.min(best, value);
      }
      if (best > most) return most + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  function allowedEdits(key) { // what a plausible misspelling of a name may differ by
    return key.length >= 11 ? 3 : key.length >= 8 ? 2 : key.length >= 5 ? 1 : 0;
  }

  // ---- the engine: built on first use -----------------------------------------------
  let engine = null;
  let loading = null;

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = url.href;
      tag.onload = resolve;
      tag.onerror = () => reject(new Error("cannot load " + url.pathname));
      document.head.appendChild(tag);
    });
  }

  function load() {
    if (!loading) {
      loading = Promise.all([
        window.MiniSearch ? Promise.resolve() : loadScript(LIBRARY),
        fetch(DATA).then((response) => {
          if (!response.ok) throw new Error("cannot load " + DATA.pathname);
          return response.json();
        }),
      ]).then(([, data]) => { engine = build(data); return engine; });
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function build(data) {
    STOP = new Set(data.stop || []);
    const docs = data.docs;
    const names = new Map(); // name key -> entry, terms before articles
    const oneWord = new Map(); // entry -> its one-word names, processed
    docs.forEach((doc, i) => {
      doc.i = i;
      const slug = doc.u.replace(/\/$/, "").split("/").pop();
      for (const name of [doc.t, ...doc.a, slug]) {
        const key = nameKey(name);
        if (key && !(names.has(key) && docs[names.get(key)].k === "t")) {
          if (!names.has(key) || doc.k === "t") names.set(key, i);
        }
      }
      const words = [doc.t, ...doc.a].filter((name) => queryTerms(name).length === 1)
        .map((name) => queryTerms(name)[0]);
      oneWord.set(i, [...new Set(words)]);
    });
    const index = new window.MiniSearch({
      idField: "i",
      fields: FIELDS,
      storeFields: [],
      tokenize,
      processTerm,
      extractField: (doc, field) => (field === "i" ? doc.i
        : Array.isArray(doc[field]) ? doc[field].join(" ")
          : doc[field] == null ? "" : String(doc[field])),
    });
    index.addAll(docs);
    const df = new Map(); // word -> how many entries hold it
    for (const doc of docs) {
      const words = new Set();
      for (const field of FIELDS) {
        const value = Array.isArray(doc[field]) ? doc[field].join(" ") : doc[field] || "";
        for (const token of tokenize(value)) {
          const term = processTerm(token);
          if (term) words.add(term);
        }
      }
      for (const word of words) df.set(word, (df.get(word) || 0) + 1);
    }
    return { docs, names, oneWord, index, df, keys: [...names.keys()] };
  }

  function named(key) {
    const exact = engine.names.get(key);
    if (exact != null && engine.docs[exact].k === "t") return exact;
    const found = variants(key).map((v) => engine.names.get(v)).filter((v) => v != null);
    const term = found.find((i) => engine.docs[i].k === "t");
    if (term != null) return term;
    return exact != null ? exact : (found.length ? found[0] : null);
  }

  function misspelt(key) { // the one entry whose name the key is a plausible misspelling of
    const most = allowedEdits(key);
    if (!most) return null;
    let best = most + 1;
    let found = new Set();
    for (const name of engine.keys) {
      if (name[0] !== key[0] || Math.abs(name.length - key.length) > most) continue;
      const d = distance(key, name, Math.min(most, best));
      if (d < best) { best = d; found = new Set([engine.names.get(name)]); }
      else if (d === best) found.add(engine.names.get(name));
    }
    return best <= most && found.size === 1 ? [...found][0] : null;
  }

  function mentioned(query) { // entries named by a run of 2-4 of the query's words
    const words = query.split(/\s+/).filter(Boolean);
    const covered = new Set();
    const found = [];
    for (let size = Math.min(4, words.length - 1); size >= 2; size--) {
      for (let start = 0; start + size <= words.length; start++) {
        const span = [...Array(size).keys()].map((k) => start + k);
        if (span.some((k) => covered.has(k))) continue;
        const entry = named(nameKey(words.slice(start, start + size).join(" ")));
        if (entry != null) {
          span.forEach((k) => covered.add(k));
          found.push([start, entry]);
        }
      }
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, entry]) => entry);
  }

  function expansions(terms) { // a word that names an entry -> that entry's other names
    const out = new Map();
    for (const term of terms) {
      const entry = named(term);
      if (entry == null) continue;
      const others = engine.oneWord.get(entry).filter((word) => word !== term);
      if (others.length) out.set(term, [entry, others]);
    }
    return out;
  }

  function completed(key) { // the one term whose names start with the key
    if (key.length < 4) return null;
    const found = new Set();
    for (const name of engine.keys) {
      if (name.startsWith(key) && engine.docs[engine.names.get(name)].k === "t") {
        found.add(engine.names.get(name));
      }
    }
    return found.size === 1 ? [...found][0] : null;
  }

  function weight(term) { // a word's weight as evidence: rarer is stronger, unknown rarest
    return Math.log(1 + engine.docs.length / Math.max(engine.df.get(term) || 0, 1));
  }

  // How strongly a result holds each query word: 1 in a name, alias, tag or summary (an
  // article's summary and tags cover a topic, so only its title), BODY_EVIDENCE in the
  // text alone; a misspelt word found by its spelling counts for FUZZY_EVIDENCE of that.
  function strengths(result, terms, owners, last, article) {
    const out = new Map();
    for (const [docTerm, fields] of Object.entries(result.match)) {
      const start = terms.find((t) => t.length >= 4 && engine.df.has(t) && docTerm.startsWith(t));
      const query = owners.get(docTerm) || (terms.includes(docTerm) ? docTerm
        : docTerm.startsWith(last) ? last : start
          || terms.filter((t) => !engine.df.has(t)).find((t) => distance(t, docTerm, 2) <= 2));
      if (!query) continue;
      const strong = fields.some((f) => (article ? f === "t" : f !== "b" && f !== "h"));
      let value = strong ? 1 : BODY_EVIDENCE;
      if (query === start && query !== last && docTerm !== query) value *= PREFIX_EVIDENCE;
      else if (!terms.includes(docTerm) && !owners.has(docTerm) && !docTerm.startsWith(last)) {
        value *= FUZZY_EVIDENCE;
      }
      out.set(query, Math.max(out.get(query) || 0, value));
    }
    return out;
  }

  function search(query) {
    const key = nameKey(query);
    if (!key) return { ids: [], terms: [] };
    const first = [];
    const whole = named(key);
    const guess = whole != null ? whole : completed(key);
    const pinned = guess != null ? guess : misspelt(key);
    if (pinned != null) first.push(pinned);
    const runs = mentioned(query);
    const words = query.split(/\s+/).filter(Boolean);
    const single = new Set(words.map((w) => nameKey(w)).filter((k) => k.length >= 3)
      .map(named).filter((e) => e != null));

    const terms = queryTerms(query);
    const last = terms[terms.length - 1];
    const typing = /[\p{L}\p{N}]$/u.test(query);
    const typed = tokenize(query).pop();
    const options = {
      boost: BOOST,
      combineWith: "OR",
      // the word being typed (unknown as a whole word, as typed), and any known word of
      // four letters or more, as the start of a longer name (drop: dropout)
      prefix: (term) => (term === last && typing && term.length >= 3 && !engine.df.has(term)
        && term === typed) || (term.length >= 4 && engine.df.has(term)),
      fuzzy: (term) => (term.length >= 5 && !/\d/.test(term) && !engine.df.has(term)
        ? allowedEdits(term) : false),
      maxFuzzy: 3,
      weights: { fuzzy: 0.4, prefix: 0.6 },
    };
    const scores = new Map();
    const held = new Map();
    const owners = new Map(); // an expansion's word -> the query word it stands for
    const sources = new Map(); // ... and the entry that named it (not scored for it)
    for (const [term, [entry, others]] of expansions(terms)) {
      for (const other of others) if (!terms.includes(other)) {
        owners.set(other, term);
        sources.set(other, entry);
      }
    }
    const note = (results, factor) => {
      for (const result of results) {
        scores.set(result.id, (scores.get(result.id) || 0) + factor * result.score);
        const article = engine.docs[result.id].k === "a";
        const found = strengths(result, terms, owners, last, article);
        const before = held.get(result.id) || new Map();
        for (const [term, value] of found) before.set(term, Math.max(before.get(term) || 0, value));
        held.set(result.id, before);
      }
    };
    if (terms.length) {
      note(engine.index.search(terms.join(" "), options), 1);
      if (owners.size) {
        note(engine.index.search([...owners.keys()].join(" "), {
          ...options, prefix: false, fuzzy: false,
          filter: (result) => ![...sources.values()].includes(result.id),
        }), EXPANSION_BOOST);
      }
    }
    const total = terms.reduce((sum, term) => sum + weight(term), 0);
    const known = terms.every((term) => engine.df.has(term));
    const ranked = [];
    for (const [id, score] of scores) {
      const found = held.get(id);
      const evidence = total ? terms.reduce((sum, t) => sum + weight(t) * (found.get(t) || 0), 0)
        / total : 1;
      const named = single.has(id) && known;
      if (evidence < MIN_EVIDENCE && !named) continue;
      let boost = runs.includes(id) ? MENTION_BOOST : single.has(id) ? SINGLE_BOOST : 1;
      if (engine.docs[id].k === "a") boost *= ARTICLE_WEIGHT;
      ranked.push([id, score * boost * evidence ** EVIDENCE_POWER, evidence, [...found]]);
    }
    ranked.sort((a, b) => b[1] - a[1]);
    explained = ranked.slice(0, LIMIT);
    const ids = [...first, ...ranked.map(([id]) => id).filter((id) => !first.includes(id))]
      .slice(0, LIMIT);
    return { ids, terms };
  }

  // ---- the box: Material's markup, kb's behaviour ---------------------------------
  function svg(path) {
    const ns = "http://www.w3.org/2000/svg";
    const icon = document.createElementNS(ns, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    const line = document.createElementNS(ns, "path");
    line.setAttribute("d", path);
    icon.appendChild(line);
    return icon;
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  const toggle = document.getElementById("__search");
  const header = document.querySelector(".md-header__inner");
  if (!toggle || !header) return;

  const style = document.createElement("style");
  style.textContent = STYLE;
  document.head.appendChild(style);

  const input = element("input", {
    type: "text", class: "md-search__input", name: "query", "aria-label": "Search",
    placeholder: "Search", autocapitalize: "off", autocorrect: "off", autocomplete: "off",
    spellcheck: "false", required: "", role: "combobox", "aria-expanded": "false",
    "aria-controls": "kb-search-results", "aria-autocomplete": "list",
  });
  const reset = element("button", {
    type: "reset", class: "md-search__icon md-icon", title: "Clear", "aria-label": "Clear",
    tabindex: "-1",
  }, svg(ICONS.close));
  const form = element("form", { class: "md-search__form", name: "kb-search" }, input,
    element("label", { class: "md-search__icon md-icon", for: "__search" },
      svg(ICONS.magnify), svg(ICONS.back)),
    element("nav", { class: "md-search__options", "aria-label": "Search" }, reset));
  const meta = element("div", { class: "md-search-result__meta", role: "status" },
    "Type to start searching");
  const list = element("ol", { class: "md-search-result__list", id: "kb-search-results",
    role: "presentation" });
  const panel = element("div", { class: "md-search", role: "dialog", "aria-label": "Search" },
    element("label", { class: "md-search__overlay", for: "__search" }),
    element("div", { class: "md-search__inner", role: "search" }, form,
      element("div", { class: "md-search__output" },
        element("div", { class: "md-search__scrollwrap", tabindex: "0" },
          element("div", { class: "md-search-result" }, meta, list)))));
  const button = element("label", { class: "md-header__button md-icon", for: "__search",
    title: "Search (/)" }, svg(ICONS.magnify));
  const source = header.querySelector(".md-header__source");
  header.insertBefore(button, source);
  header.insertBefore(panel, source);

  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
    input.setAttribute("aria-expanded", String(open && list.children.length > 0));
  }

  function resultLink(doc, terms) {
    const url = new URL(doc.u, ROOT);
    if (terms.length) url.search = "?h=" + terms.map(encodeURIComponent).join("+");
    const title = element("h1", {}, doc.t);
    const kind = doc.k === "t" ? "term" : "article";
    title.append(element("span", { class: `kb-search-kind kb-search-kind--${kind}` }, kind));
    const body = [element("div", { class: "md-search-result__icon md-icon" }), title];
    if (doc.a.length) {
      body.push(element("p", { class: "kb-search-aliases" }, "Also: " + doc.a.slice(0, 5).join(", ")));
    }
    body.push(element("p", {}, doc.s));
    const link = element("a", { href: url.href, class: "md-search-result__link", tabindex: "-1" },
      element("article", { class: "md-search-result__article md-typeset", "data-kb-kind": kind },
        ...body));
    link.addEventListener("click", () => setOpen(false));
    return element("li", { class: "md-search-result__item" }, link);
  }

  function show(query) {
    if (!query.trim()) {
      meta.replaceChildren("Type to start searching");
      list.replaceChildren();
      list.dataset.query = query;
      return;
    }
    if (!engine) {
      meta.replaceChildren("Loading the search index\u2026");
      load().then(() => { if (input.value === query) show(query); },
        () => meta.replaceChildren("The search index could not be loaded."));
      return;
    }
    const { ids, terms } = search(query);
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.replaceChildren(...ids.map((id) => resultLink(engine.docs[id], words.length ? words : terms)));
    if (ids.length) {
      meta.replaceChildren(ids.length === 1 ? "1 matching entry" : `${ids.length} matching entries`);
    } else {
      meta.replaceChildren("No matching entries. Try other words, or browse the ",
        element("a", { href: new URL("glossary/", ROOT).href }, "A-Z index"), ".");
    }
    input.setAttribute("aria-expanded", String(ids.length > 0));
    list.dataset.query = query; // what the list answers (for tests and scripts)
  }

  const links = () => [...list.querySelectorAll(".md-search-result__link")];

  input.addEventListener("focus", () => { setOpen(true); load().catch(() => {}); });
  input.addEventListener("input", () => show(input.value));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { show(""); input.focus(); });
  });
  toggle.addEventListener("change", () => {
    if (!toggle.checked && document.activeElement === input) input.blur();
  });

  function editable(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const inBox = event.target === input;
    const onResult = event.target instanceof Element && list.contains(event.target);
    if (!inBox && !onResult) {
      if (!toggle.checked && ["/", "s", "f"].includes(event.key) && !editable(event.target)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      input.blur();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
      if (next < 0 || next >= all.length) input.focus();
      else all[next].focus();
    } else if (onResult && event.key.length === 1) {
      input.focus(); // typing on a result goes on with the query
    }
  });

  // ---- the words of the query, highlighted on the page reached ----------------------
  function highlight() {
    const wanted = new URLSearchParams(location.search).get("h");
    const article = document.querySelector(".md-content article");
    if (!wanted || !article || article.dataset.kbHighlighted) return;
    article.dataset.kbHighlighted = "1";
    const stems = new Set(wanted.split(/\s+/).map((w) => fold(w)).filter((w) => w.length >= 2 && !STOP.has(w))
      .map(stem));
    if (!stems.size) return;
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest("pre, code, script, style, mark, .katex, .mermaid, svg")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue;
      const parts = [];
      let position = 0;
      for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
        const word = fold(match[0]);
        if (!stems.has(stem(word)) && !stems.has(word)) continue;
        parts.push(text.slice(position, match.index), element("mark", { "data-md-highlight": "" }, match[0]));
        position = match.index + match[0].length;
      }
      if (parts.length) {
        parts.push(text.slice(position));
        node.replaceWith(...parts.filter((part) => part !== ""));
      }
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => setTimeout(highlight));
  } else {
    highlight();
  }

  function open(query) { // what a search form in a page (home, 404) hands to the box
    input.focus();
    input.value = query || "";
    show(input.value);
  }

  function explain(query) { // for scripts: the ranking behind a query, with its evidence
    const { ids } = search(query);
    return { ids: ids.map((id) => engine.docs[id].u), ranked: explained.map(
      ([id, score, evidence, found]) => [engine.docs[id].u, score, evidence, found]) };
  }

  window.kbSearch = { open, load, explain: (query) => load().then(() => explain(query)) };
})();
