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
 * ignored), else the one term whose names it starts, else the one term that lists it as a
 * keyword (Dense: Dense layer) or, when several do, all of them ("metric learning"), else
 * the one entry it is a plausible misspelling of, unless every word of it is a correctly
 * spelt common English word ("pay attention" is not PagedAttention); then the entries
 * that a run of its words names ("dense layer parameters"); then MiniSearch's ranking
 * (BM25 with names and aliases above headings and summaries above the text; fuzzy words
 * for typos, never a word of English or one the index holds; the
 * last word also as a prefix, a word that is the name of an entry also searched as that
 * entry's other one-word names, two neighbouring words also as one: "non linear"),
 * keeping only entries that match most of the query's words, and enough of them in their
 * names, tags, keywords or summary, so that one shared word, or words met in passing in a
 * text, are not an answer. Words are read as kb search reads them: its stop words (the
 * words of asking: "how do I", "why does my") and comparatives ("bigger": big) come in
 * the data file, with kb's common English words, and the stemmer is the same Porter2.
 *
 * The box is Material's own markup and classes, without Material's search component (the
 * engine's search plugin is off): `/`, `s` and `f` open it, the arrow keys move through
 * the results, Enter opens one, Escape closes it, and the words that matched in the
 * entry opened (the corrected word of a typo, never a stop word) are highlighted on the
 * page reached (?h=, words as the index holds them). Content is text: it reaches the
 * page through textContent only.
 */
(function () {
  "use strict";
  if (window.kbSearch) return;

  const SCRIPT = document.currentScript && document.currentScript.src;
  const ROOT = new URL("../../", SCRIPT || location.href); // assets/javascripts/ -> root
  const DATA = new URL("search/kb-search.json", ROOT);
  const LIBRARY = new URL("assets/vendor/minisearch/minisearch.js", ROOT);
  const FORMAT = 8; // of the data file (search_data.FORMAT): another is refused
  const LIMIT = 10;
  const BOOST = { t: 6, a: 5, h: 2, s: 2, g: 1.5, b: 1 };
  const FIELDS = Object.keys(BOOST);
  const FUZZY_EVIDENCE = 0.7; // a misspelt word found by its spelling is this much of
  // the evidence of a word found as it is (EVIDENCE.body for a word only in the text)
  const PREFIX_EVIDENCE = 0.8; // ... and a word found as the start of a longer one
  const ARTICLE_WEIGHT = 0.6; // an article's score (its text holds every word) x this
  const GUIDE_WEIGHT = 2.4; // ... and this instead when the query asks for a guide (kb's 4x)
  // kb search's evidence thresholds and weights, from the data file (search_data.SHARED):
  // min, the least rarity-weighted share of the query's words a result needs, down by
  // step per word beyond longQuery to least; keep, an entry's that the query names;
  // strong, the least of it in names, aliases, tags, keywords and summary (and keep holds
  // only if every query word is in more than rare entries); body, a word
  // found only in the text; power, score = MiniSearch's score x evidence ** power;
  // expansion, an entry's other one-word names; mention, an entry a run of words names.
  let EVIDENCE = null;
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

  // ---- text: folded, split, stemmed; the data file's own stop words and comparatives --
  let STOP = new Set();
  let COMPARATIVES = new Map(); // bigger -> big, as kb search folds them
  let CONTRASTING = new Set(); // vs, between, difference: entries set side by side
  let GUIDE = []; // walkthrough, step by step, worked: a query that wants an article
  let ENGLISH = new Set(); // common English words: never read as a misspelling (kb's too)
  const BRITISH = [ // British spellings made American, as kb's links.fold does
    [/(?<=\p{L}\p{L})is(?=ations?\b|ing\b|ed\b|ers?\b|e\b|es\b|abl)/gu, "iz"],
    [/(?<=\p{L}\p{L})our(?=s?\b|ed\b|ing\b|hoods?\b|ite|abl|al|ful)/gu, "or"],
    [/(?<=\p{L}\p{L})tre(?=s?\b|d\b)/gu, "ter"],
    [/(?<=\p{L}\p{L})ys(?=e\b|es\b|ed\b|ing\b)/gu, "yz"]];
  const WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011'\u2019][\p{L}\p{N}]+)*(?:\+\+|#)?/gu;

  function fold(text) {
    return BRITISH.reduce((folded, [spelling, american]) => folded.replace(spelling, american),
      text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase());
  }

  function nameKey(text) { // as kb's name_key: case, width, spaces and punctuation ignored
    return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}+#]/gu, "");
  }

  function tokenize(text) { // t-SNE -> tsne, t, sne; doesn't -> doesnt
    const out = [];
    for (const match of fold(text).matchAll(WORD)) {
      const parts = match[0].replace(/['\u2019]/g, "").split(/[-\u2010\u2011]/);
      out.push(parts.join(""));
      if (parts.length > 1) out.push(...parts);
    }
    return out;
  }

  // ---- Porter2 ("English" Snowball), as kb search stems (whoosh.lang.porter2) ---------
  const stem = (() => {
    const V = "aeiouy";
    const R = /[^aeiouy]*[aeiouy]+[^aeiouy]([\p{L}\p{N}_]*)/uy;
    const region = (word, from) => {
      R.lastIndex = from;
      const m = R.exec(word);
      return m ? m.index + m[0].length - m[1].length : word.length;
    };
    const r1Of = (word) => (word.startsWith("gener") || word.startsWith("arsen") ? 5
      : word.startsWith("commun") ? 6 : region(word, 0));
    const shortSyllable = (word) => (word.length === 2 && /^[aeiouy][^aeiouy]$/.test(word))
      || /^.*[^aeiouy][aeiouy][^aeiouywxY]$/.test(word);
    const isShort = (word) => shortSyllable(word) && r1Of(word) === word.length;
    const DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
    const STEP2 = [["ization", "ize", []], ["ational", "ate", []], ["fulness", "ful", []],
      ["ousness", "ous", []], ["iveness", "ive", []], ["tional", "tion", []],
      ["biliti", "ble", []], ["lessli", "less", []], ["entli", "ent", []],
      ["ation", "ate", []], ["alism", "al", []], ["aliti", "al", []], ["ousli", "ous", []],
      ["iviti", "ive", []], ["fulli", "ful", []], ["enci", "ence", []], ["anci", "ance", []],
      ["abli", "able", []], ["izer", "ize", []], ["ator", "ate", []], ["alli", "al", []],
      ["bli", "ble", []], ["ogi", "og", ["l"]],
      ["li", "", ["c", "d", "e", "g", "h", "k", "m", "n", "r", "t"]]];
    const STEP3 = [["ational", "ate", false], ["tional", "tion", false], ["alize", "al", false],
      ["icate", "ic", false], ["iciti", "ic", false], ["ative", "", true], ["ical", "ic", false],
      ["ness", "", false], ["ful", "", false]];
    const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
      "ent", "ism", "ate", "iti", "ous", "ive", "ize"];
    const EXCEPTIONS = { skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie",
      idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli",
      singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
      cosmos: "cosmos", bias: "bias", andes: "andes" };
    const EARLY = new Set(["inning", "outing", "canning", "herring", "earring", "proceed",
      "exceed", "succeed"]);

    function step1a(word) {
      if (word.endsWith("sses")) return word.slice(0, -4) + "ss";
      if (word.endsWith("ied") || word.endsWith("ies")) {
        return word.length > 4 ? word.slice(0, -3) + "i" : word.slice(0, -3) + "ie";
      }
      if (word.endsWith("us") || word.endsWith("ss")) return word;
      if (word.endsWith("s")) return /[aeiouy]./.test(word.slice(0, -1)) ? word.slice(0, -1) : word;
      return word;
    }
    function step1b(word, r1) {
      if (word.endsWith("eedly")) return word.length - 5 >= r1 ? word.slice(0, -3) : word;
      if (word.endsWith("eed")) return word.length - 3 >= r1 ? word.slice(0, -1) : word;
      for (const suffix of ["ed", "edly", "ing", "ingly"]) {
        if (!word.endsWith(suffix)) continue;
        const before = word.slice(0, -suffix.length);
        if (!/[aeiouy]/.test(before)) return word;
        if (before.endsWith("at") || before.endsWith("bl") || before.endsWith("iz")) return before + "e";
        if (DOUBLES.some((d) => before.endsWith(d))) return before.slice(0, -1);
        return isShort(before) ? before + "e" : before;
      }
      return word;
    }
    function step1c(word) {
      if ((word.endsWith("y") || (word.endsWith("Y") && word.length > 1))
          && !V.includes(word[word.length - 2]) && word.length > 2) {
        return word.slice(0, -1) + "i";
      }
      return word;
    }
    function step2(word, r1) {
      for (const [end, repl, prev] of STEP2) {
        if (!word.endsWith(end)) continue;
        let attempt = word;
        const stemmed = word.slice(0, -end.length);
        if (word.length - end.length >= r1 && (!prev.length || prev.some((p) => stemmed.endsWith(p)))) {
          attempt = stemmed + repl;
        }
        if (attempt) return attempt;
      }
      return word;
    }
    function step3(word, r1, r2) {
      for (const [end, repl, needsR2] of STEP3) {
        if (!word.endsWith(end)) continue;
        const n = word.length - end.length;
        const attempt = n >= r1 && (!needsR2 || n >= r2) ? word.slice(0, -end.length) + repl : word;
        if (attempt) return attempt;
      }
      return word;
    }
    function step4(word, r2) {
      for (const end of STEP4) {
        if (word.endsWith(end)) return word.length - end.length >= r2 ? word.slice(0, -end.length) : word;
      }
      if ((word.endsWith("sion") || word.endsWith("tion")) && word.length - 3 >= r2) {
        return word.slice(0, -3);
      }
      return word;
    }
    function step5(word, r1, r2) {
      if (word.endsWith("l")) {
        return word.length - 1 >= r2 && word[word.length - 2] === "l" ? word.slice(0, -1) : word;
      }
      if (word.endsWith("e")) {
        if (word.length - 1 >= r2) return word.slice(0, -1);
        if (word.length - 1 >= r1 && !shortSyllable(word.slice(0, -1))) return word.slice(0, -1);
      }
      return word;
    }
    return function stem(word) {
      if (word.length <= 2) return word;
      if (word.startsWith("'")) word = word.slice(1);
      if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
      if (word.startsWith("y")) word = "Y" + word.slice(1);
      word = word.replace(/([aeiouy])y/g, "$1Y");
      const r1 = r1Of(word);
      const r2 = region(word, r1);
      if (word.endsWith("'s'")) word = word.slice(0, -3);
      else if (word.endsWith("'s")) word = word.slice(0, -2);
      else if (word.endsWith("'")) word = word.slice(0, -1);
      word = step1a(word);
      if (EARLY.has(word)) return word;
      word = step1b(word, r1);
      word = step1c(word);
      word = step2(word, r1);
      word = step3(word, r1, r2);
      word = step4(word, r2);
      word = step5(word, r1, r2);
      return word.replace(/Y/g, "y");
    };
  })();

  function baseForm(word) { // bigger -> big, cnns -> cnn, gpus -> gpu (kb's base_form)
    if (COMPARATIVES.has(word)) return COMPARATIVES.get(word);
    return /^[^aeiouy\W\d_]{2,}u?s$/.test(word) && word !== "plus" && word !== "thus"
      ? word.slice(0, -1) : word;
  }

  function processTerm(term) {
    if (term.length < 2 || STOP.has(term)) return null;
    return stem(baseForm(term));
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

  // ---- the engine: fetched and built on first use of the box ------------------------
  let engine = null;
  let loading = null;
  let library = null;
  let contents = null;

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = url.href;
      tag.onload = resolve;
      tag.onerror = () => reject(new Error("cannot load " + url.pathname));
      document.head.appendChild(tag);
    });
  }

  function fetchLibrary() {
    if (!library) {
      library = window.MiniSearch ? Promise.resolve() : loadScript(LIBRARY);
      library.catch(() => { library = null; });
    }
    return library;
  }

  function fetchData() { // the data file, read (its words set) and kept
    if (!contents) {
      contents = fetch(DATA).then((response) => {
        if (!response.ok) throw new Error("cannot load " + DATA.pathname);
        return response.json();
      }).then((data) => {
        if (data.format !== FORMAT) throw new Error("the search data is of another build");
        STOP = new Set(data.stop || []);
        COMPARATIVES = new Map(Object.entries(data.comparatives || {}));
        CONTRASTING = new Set(data.contrasting || []);
        GUIDE = data.guide || [];
        ENGLISH = new Set((data.english || "").split(" "));
        EVIDENCE = data.evidence;
        return data;
      });
      contents.catch(() => { contents = null; });
    }
    return contents;
  }

  function load() {
    if (!loading) {
      loading = Promise.all([fetchLibrary(), fetchData()])
        .then(([, data]) => { engine = engine || build(data); return engine; });
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function build(data) {
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
    // a keyword that one term lists and no entry has as a name (Dense: Dense layer):
    // KnowledgeBase.keyword_owners's rule (tests/test_browser_search.py compares them)
    const owners = new Map();
    docs.forEach((doc, i) => {
      if (doc.k !== "t") return;
      for (const key of new Set(doc.g.slice(doc.n).map(nameKey))) {
        if (key && !names.has(key)) owners.set(key, [...(owners.get(key) || []), i]);
      }
    });
    const listed = new Map([...owners].filter(([, ids]) => ids.length === 1)
      .map(([key, [i]]) => [key, i]));
    // ... and one that several terms list ("metric learning"): all of them come first
    const shared = new Map([...owners].filter(([, ids]) => ids.length > 1));
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
    const vocabulary = new Set(); // the words of names, aliases, tags and keywords
    for (const doc of docs) {
      for (const value of [doc.t, ...doc.a, ...doc.g]) {
        for (const token of tokenize(value)) {
          const term = processTerm(token);
          if (term) vocabulary.add(term);
        }
      }
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
    return { docs, names, listed, shared, oneWord, index, df, vocabulary,
      keys: [...names.keys()] };
  }

  function named(key) {
    const exact = engine.names.get(key);
    if (exact != null && engine.docs[exact].k === "t") return exact;
    const found = variants(key).map((v) => engine.names.get(v)).filter((v) => v != null);
    const term = found.find((i) => engine.docs[i].k === "t");
    if (term != null) return term;
    return exact != null ? exact : (found.length ? found[0] : null);
  }

  function listed(key) { // the one term that lists the key, or a variant, as a keyword
    const term = [key, ...variants(key)].map((v) => engine.listed.get(v)).find((i) => i != null);
    return term != null ? term : null;
  }

  function listers(key) { // the terms that list the key, or a variant, when several do
    return [key, ...variants(key)].map((v) => engine.shared.get(v)).find(Boolean) || [];
  }

  function english(word) { // a common English word as spelt, or made American (colour)
    return ENGLISH.has(word) || ENGLISH.has(fold(word)); // never only folded: noise, noize
  }

  function everyday(query) { // every word a correctly spelt common English word (kb's rule)
    const words = query.toLowerCase().match(/\p{L}+/gu) || [];
    return words.length > 0 && words.every(english);
  }

  function misspelt(key, query) { // the one entry whose name the key is a plausible misspelling of
    const most = allowedEdits(key);
    if (!most || everyday(query)) return null; // "pay attention" is not PagedAttention
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

  function mentioned(words) {
    // Entries named by a run of one to four of the words, in their order; a run inside a
    // longer named run does not count ("batch normalization" is not "batch"), and a word
    // of asking names an entry only in capitals ("IS" is Inception Score, "is" is not):
    // kb search's rule (lookup._mentioned).
    const covered = new Set();
    const found = [];
    for (let size = Math.min(4, words.length); size >= 1; size--) {
      for (let start = 0; start + size <= words.length; start++) {
        const span = [...Array(size).keys()].map((k) => start + k);
        const key = nameKey(words.slice(start, start + size).join(" "));
        const asking = size === 1 && STOP.has(key) && words[start] !== words[start].toUpperCase();
        const entry = key.length >= 2 && !asking ? named(key) : null;
        if (entry != null && !span.some((k) => covered.has(k))) {
          span.forEach((k) => covered.add(k));
          found.push([start, entry]);
        }
      }
    }
    return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, entry]) => entry))];
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

  function leastEvidence(words) { // a long question's own words are in no entry
    return Math.max(EVIDENCE.least, EVIDENCE.min - EVIDENCE.step * Math.max(words - EVIDENCE.longQuery, 0));
  }

  function weight(term) { // a word's weight as evidence: rarer is stronger, unknown rarest
    return Math.log(1 + engine.docs.length / Math.max(engine.df.get(term) || 0, 1));
  }

  function asksForAGuide(query) { // as kb's fulltext.asks_for_a_guide
    const words = ` ${tokenize(query).join(" ")} `;
    return GUIDE.some((phrase) => words.includes(` ${phrase} `));
  }

  function compounds(query) { // two neighbouring words the index holds as one (non linear)
    const out = new Map(); // the joined word -> the two query words it stands for
    const words = query.split(/\s+/).filter(Boolean).map(tokenize);
    for (let i = 0; i + 1 < words.length; i++) {
      if (words[i].length !== 1 || words[i + 1].length !== 1) continue;
      const joined = words[i][0] + words[i + 1][0];
      const parts = [processTerm(words[i][0]), processTerm(words[i + 1][0])];
      const term = processTerm(joined);
      if (parts.every(Boolean) && term && /^\p{L}+$/u.test(joined) && engine.df.has(term)) {
        out.set(term, parts);
      }
    }
    return out;
  }

  // How strongly a result holds each query word: 1 in a name, alias, tag, keyword or
  // summary (an article's summary covers a topic, so only its title and keywords, which
  // are all its data file's g holds), EVIDENCE.body
  // in the text alone; a misspelt word found by its spelling (only as a word of a name,
  // tag or keyword, as kb search corrects it) counts for FUZZY_EVIDENCE of that. Each
  // query word -> [its evidence, whether a strong field holds it].
  function strengths(result, terms, correctable, owners, last, article) {
    const out = new Map();
    for (const [docTerm, fields] of Object.entries(result.match)) {
      const start = terms.find((t) => t.length >= 4 && engine.df.has(t) && docTerm.startsWith(t));
      const fuzzy = engine.vocabulary.has(docTerm)
        && correctable.find((t) => distance(t, docTerm, 2) <= 2);
      const queries = owners.get(docTerm) || (terms.includes(docTerm) ? [docTerm]
        : docTerm.startsWith(last) ? [last] : start ? [start] : fuzzy ? [fuzzy] : []);
      // a word still being typed counts as the start of a name only, as in kb search
      const typed = queries[0] === last && docTerm !== last && !engine.df.has(last);
      if (typed && !fields.some((f) => f === "t" || f === "a")) continue;
      const strong = fields.some((f) => (article ? f === "t" || f === "g" : f !== "b" && f !== "h"));
      let value = strong ? 1 : EVIDENCE.body;
      if (start && queries[0] === start && docTerm !== start) {
        value *= PREFIX_EVIDENCE; // a whole word found as the start of a longer one
      } else if (!terms.includes(docTerm) && !owners.has(docTerm) && !docTerm.startsWith(last)) {
        value *= FUZZY_EVIDENCE;
      }
      for (const query of queries) {
        const [before, held] = out.get(query) || [0, false];
        out.set(query, [Math.max(before, value), held || strong]);
      }
    }
    return out;
  }

  function search(query) {
    const key = nameKey(query);
    if (!key) return { ids: [], terms: [] };
    const first = [];
    const whole = named(key);
    const guess = whole != null ? whole : completed(key);
    const kept = guess != null ? guess : listed(key);
    const several = kept != null ? [] : listers(key); // not a misspelling of another name
    const pinned = kept != null || several.length ? kept : misspelt(key, query);
    if (pinned != null) first.push(pinned);
    first.push(...several);
    const words = query.split(/\s+/).filter(Boolean);
    const runs = mentioned(words);

    const terms = queryTerms(query);
    const last = terms[terms.length - 1];
    const typing = /[\p{L}\p{N}]$/u.test(query);
    const typed = tokenize(query).pop();
    // the words that a typo may be: unknown to the index and not a word of English
    // ("insurance" is not a misspelt "instance"), as kb search corrects words
    const spelt = new Set((query.toLowerCase().match(/\p{L}+/gu) || []).filter(english)
      .flatMap(tokenize).map(processTerm));
    const correctable = terms.filter((term) => !engine.df.has(term) && !spelt.has(term));
    const options = {
      boost: BOOST,
      combineWith: "OR",
      // the words are processed already: not stemmed twice (dense: dens, never den)
      tokenize: (text) => text.split(" "),
      processTerm: (term) => term,
      // the word being typed (unknown as a whole word, as typed), and any known word of
      // four letters or more, as the start of a longer name (drop: dropout)
      prefix: (term) => (term === last && typing && term.length >= 3 && !engine.df.has(term)
        && term === typed) || (term.length >= 4 && engine.df.has(term)),
      fuzzy: (term) => (term.length >= 5 && !/\d/.test(term) && correctable.includes(term)
        ? allowedEdits(term) : false),
      maxFuzzy: 3,
      weights: { fuzzy: 0.4, prefix: 0.6 },
    };
    const scores = new Map();
    const held = new Map();
    const matched = new Map(); // entry -> the index's words it matched (to highlight)
    const owners = new Map(); // an expansion's word -> the query words it stands for
    const sources = new Map(); // ... and the entry that named it (not scored for it)
    const joined = compounds(query);
    for (const [term, parts] of joined) if (!terms.includes(term)) owners.set(term, parts);
    for (const [term, [entry, others]] of expansions(terms)) {
      for (const other of others) if (!terms.includes(other) && !owners.has(other)) {
        owners.set(other, [term]);
        sources.set(other, entry);
      }
    }
    const note = (results, factor) => {
      for (const result of results) {
        scores.set(result.id, (scores.get(result.id) || 0) + factor * result.score);
        const words = matched.get(result.id) || new Set();
        Object.keys(result.match).forEach((word) => words.add(word));
        matched.set(result.id, words);
        const article = engine.docs[result.id].k === "a";
        const found = strengths(result, terms, correctable, owners, last, article);
        const before = held.get(result.id) || new Map();
        for (const [term, [value, strong]] of found) {
          const [was, wasStrong] = before.get(term) || [0, false];
          before.set(term, [Math.max(was, value), wasStrong || strong]);
        }
        held.set(result.id, before);
      }
    };
    if (terms.length) {
      const exact = { ...options, prefix: false, fuzzy: false };
      note(engine.index.search(terms.join(" "), options), 1);
      const squashed = [...joined.keys()].filter((term) => !terms.includes(term));
      if (squashed.length) note(engine.index.search(squashed.join(" "), exact), 1);
      if (sources.size) {
        note(engine.index.search([...sources.keys()].join(" "), {
          ...exact, filter: (result) => ![...sources.values()].includes(result.id),
        }), EVIDENCE.expansion);
      }
    }
    const total = terms.reduce((sum, term) => sum + weight(term), 0);
    const known = terms.every((term) => engine.df.has(term));
    const common = terms.every((term) => (engine.df.get(term) || 0) > EVIDENCE.rare);
    const guide = asksForAGuide(query);
    const ranked = [];
    for (const [id, score] of scores) {
      const found = held.get(id);
      const share = (strongOnly) => (total ? terms.reduce((sum, t) => {
        const [value, strong] = found.get(t) || [0, false];
        return sum + weight(t) * (strongOnly ? Number(strong) : value);
      }, 0) / total : 1);
      const evidence = share(false);
      const byName = runs.includes(id);
      const named = byName && common;
      if (evidence < (named ? EVIDENCE.keep : leastEvidence(terms.length))) continue;
      if (!named && share(true) < EVIDENCE.strong) continue;
      let boost = byName ? EVIDENCE.mention : 1;
      if (engine.docs[id].k === "a") boost *= guide ? GUIDE_WEIGHT : ARTICLE_WEIGHT;
      ranked.push([id, score * boost * evidence ** EVIDENCE.power, evidence,
        [...found].map(([term, [value]]) => [term, value])]);
    }
    ranked.sort((a, b) => b[1] - a[1]);
    // "the difference between precision and recall": the entries it names, first, in its
    // order, if the text finds them or the index knows every word of the query ("padding
    // and margin in the css box model" is about something else)
    const contrasted = words.some((w) => CONTRASTING.has(w.toLowerCase().replace(/[.,;:?!]+$/, "")));
    const found = new Set(ranked.map(([id]) => id));
    const compared = pinned == null && contrasted
      ? runs.filter((id) => found.has(id) || known) : [];
    if (compared.length > 1) first.push(...compared);
    explained = ranked.slice(0, LIMIT);
    const ids = [...first, ...ranked.map(([id]) => id).filter((id) => !first.includes(id))]
      .slice(0, LIMIT);
    // the words to highlight on an entry's page: those it matched, the query's first;
    // an entry named by a misspelling or the start of its name that matched none, the
    // words of its name (what the query was corrected to)
    const highlights = new Map(ids.map((id) => {
      const words = [...(matched.get(id) || [])];
      words.sort((a, b) => (terms.includes(b) ? 1 : 0) - (terms.includes(a) ? 1 : 0));
      return [id, words.length ? words : queryTerms(engine.docs[id].t)];
    }));
    return { ids, terms, highlights };
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
    const { ids, highlights } = search(query);
    list.replaceChildren(...ids.map((id) => resultLink(engine.docs[id], highlights.get(id))));
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
  // Tabbing out of the box closes it (it dimmed the page while the focus moved on).
  panel.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (next && !panel.contains(next)) setOpen(false);
  });
  input.addEventListener("input", () => show(input.value));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { show(""); input.focus(); });
  });
  // The header's search icon (a label of the toggle, the only way in below 960 px) opens
  // the box with the cursor in it, in the same tap, so that a phone shows its keyboard.
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus({ preventScroll: true });
    else if (!toggle.checked && document.activeElement === input) input.blur();
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

  // ---- the words that matched, highlighted on the page reached ----------------------
  // ?h= holds words as the index holds them (stemmed: "convolut"); a word as typed in a
  // link of another kind ("convolutions") is stemmed here too. Stop words are the data
  // file's: on a page opened with ?h= before the data is fetched, it is fetched first
  // (from the cache, as a rule: the reader has just searched).
  function highlight() {
    const wanted = new URLSearchParams(location.search).get("h");
    const article = document.querySelector(".md-content article");
    if (!wanted || !article || article.dataset.kbHighlighted) return;
    article.dataset.kbHighlighted = "1";
    const mark = () => {
      if (article.isConnected) markWords(article, wanted);
      article.dataset.kbHighlighted = "done";
    };
    if (STOP.size) mark();
    else fetchData().then(mark, mark);
  }

  function markWords(article, wanted) {
    const stems = new Set();
    for (const word of wanted.split(/\s+/).map(fold)) {
      if (word.length < 2 || STOP.has(word)) continue;
      stems.add(word);
      stems.add(stem(baseForm(word)));
    }
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
        if (STOP.has(word) || (!stems.has(stem(baseForm(word))) && !stems.has(word))) continue;
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

  const owners = () => load().then(() => Object.fromEntries( // for tests: the keyword rule
    [...engine.listed].map(([key, i]) => [key, [i]]).concat([...engine.shared])
      .map(([key, ids]) => [key, ids.map((i) => engine.docs[i].u)])));
  window.kbSearch = { open, load, stem, fold, owners,
    explain: (query) => load().then(() => explain(query)) };
})();
