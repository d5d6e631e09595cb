// Diagrams, loaded only where there is one, and on a term page only when the reader gets
// near it. The theme renders each ```mermaid block with window.mermaid, and would fetch
// Mermaid from a CDN if it found none: this stands in for it, and loads the vendored copy
// (beside this file, about 1 MB compressed) the first time a diagram is to be drawn. It
// also keeps diagram text legible (never scaled below 12 px: a wider diagram scrolls
// sideways in its box) and gives each diagram an accessible name.
//
// When a diagram is drawn. A term page must stay light on a first visit (under 400 KB),
// so its diagrams wait: one that is on screen is drawn at once; once the reader scrolls
// that page (or once Mermaid is loaded), any diagram within a screen's height of the view
// is drawn before it is reached (IntersectionObserver). Reading only the first screen
// never loads Mermaid, also on a page swapped in by instant navigation. Other pages
// (articles) draw every diagram as they open, as before. A waiting diagram is a
// `pre.kb-diagram-waiting` (its source hidden, its name given) instead of `pre.mermaid`,
// which means "being drawn". Without JavaScript the theme shows the diagram's source;
// without IntersectionObserver every diagram is drawn at once; printing draws them all.
// While a diagram waits or is being drawn its source is hidden (here and in extra.css:
// only until a few seconds have passed); if Mermaid cannot be loaded, the source shows.
(() => {
  const source = new URL("../vendor/mermaid/mermaid.min.js", document.currentScript.src).href;
  const FONT = 16; // px: the diagrams' font size, before scaling
  const SUB = 0.9; // sub- and superscripts, relative to FONT
  const SMALLEST = 12; // px: the smallest text a diagram may be scaled to
  const WAITS = "article .kb-summary"; // the pages whose diagrams wait: term pages
  const WAITING = "kb-diagram-waiting";
  let options = {};
  let real = null;
  let loading = null;

  function load() {
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = source;
        script.onload = () => {
          real = window.mermaid;
          window.mermaid = stub;
          real.initialize(options);
          resolve(real);
        };
        script.onerror = () => {
          loading = null; // a later diagram may try again
          reject(new Error(`could not load ${source}`));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // --- legibility and names ---------------------------------------------------------

  const LABELS = ".edgeLabel, .edgeLabel p, .edgeLabel span, .labelBkg {"
    + " background-color: var(--md-default-bg-color) !important;"
    + " color: var(--md-default-fg-color) !important; opacity: 1 !important; }"
    + " .edgeLabel rect { fill: var(--md-default-bg-color) !important; opacity: 1 !important; }"
    + ` sub, sup { font-size: ${SUB * 100}%; }`;
  const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // The accessible name of a diagram: its accTitle, else the names in its boxes.
  function describe(text) {
    const title = /^\s*accTitle\s*:\s*(.+)$/m.exec(text);
    if (title) return title[1].trim();
    const labels = [...text.matchAll(/[[({>]+"?([^\])}"\n]{1,60})"?[\])}]+/g)]
      .map((match) => match[1].replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim())
      .filter(Boolean);
    const unique = [...new Set(labels)].slice(0, 12);
    return unique.length ? `Diagram: ${unique.join(", ")}` : "Diagram";
  }

  function legible(svg, text) {
    const box = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"/.exec(svg);
    let out = svg;
    if (box) {
      const font = /<su[bp]>/.test(text) ? FONT * SUB : FONT;
      const least = Math.ceil(parseFloat(box[1]) * SMALLEST / font);
      out = out.replace(/style="max-width: ?([\d.]+)px;?"/,
        (_, width) => `style="max-width: ${width}px; min-width: ${Math.min(least, width)}px;"`);
    }
    // Edge labels on an opaque background, in the text colour: legible in both themes.
    out = out.replace(/^(<svg[^>]*>)/, `$1<style>${LABELS}</style>`);
    if (!/aria-labelledby=/.test(out)) {
      out = out.replace(/^<svg /, `<svg aria-label="${escape(describe(text))}" `);
    }
    return out;
  }

  // A diagram wider than the column scrolls in its box (scroll-box.js).
  function scrollable() {
    document.querySelectorAll("div.mermaid").forEach((box) => kbScrollBox(box, "diagram"));
  }
  window.addEventListener("resize", scrollable);

  // --- waiting for the reader ---------------------------------------------------------

  const style = document.createElement("style");
  style.textContent = `pre.${WAITING} > code { visibility: hidden; white-space: pre-wrap;`
    + " overflow: hidden; overflow-wrap: anywhere; }"
    + ` @media print { pre.${WAITING} > code { visibility: visible; } }`;
  document.head.appendChild(style);

  const claimed = new WeakSet(); // blocks handed to render() already
  const waiting = new Map(); // block -> draw it now
  const near = new Set(); // waiting blocks within a screen's height of the view
  let scrolled = false; // has the reader scrolled since this page opened?
  const watch = (callback, margin) => ("IntersectionObserver" in window
    ? new IntersectionObserver(callback, { rootMargin: margin }) : null);
  const onScreen = watch((entries) => entries.forEach((entry) => {
    if (entry.isIntersecting) release(entry.target);
  }), "0px");
  const ahead = watch((entries) => entries.forEach((entry) => {
    if (!entry.isIntersecting) near.delete(entry.target);
    else if (scrolled || real) release(entry.target); // Mermaid here: drawing is cheap
    else near.add(entry.target);
  }), "100% 0px");

  function release(block) {
    const draw = waiting.get(block);
    if (!block.isConnected) forget(block); // on a page left by instant navigation
    else if (draw) draw();
  }

  function forget(block) {
    waiting.delete(block);
    near.delete(block);
    onScreen.unobserve(block);
    ahead.unobserve(block);
  }

  // Resolves when `block` (a pre.mermaid the theme is about to render) should be drawn.
  function turn(block) {
    if (!onScreen || !document.querySelector(WAITS)) return Promise.resolve();
    return new Promise((resolve) => {
      block.classList.replace("mermaid", WAITING);
      block.setAttribute("role", "img");
      block.setAttribute("aria-label", describe(block.textContent));
      waiting.set(block, () => {
        forget(block);
        block.classList.replace(WAITING, "mermaid");
        block.removeAttribute("role");
        block.removeAttribute("aria-label");
        resolve();
      });
      onScreen.observe(block);
      ahead.observe(block);
    });
  }

  // The reader scrolls with a wheel, a finger or a key; the scroll events themselves do not
  // tell the reader from the theme, which jumps when it swaps in a page (instant
  // navigation) or follows an anchor. Each page opens unscrolled.
  function moved() {
    if (scrolled) return;
    scrolled = true;
    [...near].forEach(release);
  }
  const KEYS = new Set([" ", "PageDown", "PageUp", "ArrowDown", "ArrowUp", "End", "Home"]);
  window.addEventListener("wheel", moved, { passive: true });
  window.addEventListener("touchmove", moved, { passive: true });
  window.addEventListener("keydown", (event) => { if (KEYS.has(event.key)) moved(); });
  if (window.document$) {
    window.document$.subscribe(() => {
      scrolled = false;
      [...waiting.keys()].filter((block) => !block.isConnected).forEach(forget);
    });
  }
  window.addEventListener("beforeprint", () => [...waiting.keys()].forEach(release));

  // The block the theme renders: the first one not handed over yet with this text.
  function blockOf(text) {
    return [...document.querySelectorAll("pre.mermaid")]
      .find((block) => !claimed.has(block) && block.textContent === text);
  }

  const stub = {
    initialize(given) {
      options = { ...given, fontSize: FONT, flowchart: { ...(given.flowchart || {}), useMaxWidth: true } };
      if (real) real.initialize(options);
    },
    async render(id, text) {
      const block = blockOf(text);
      if (block) {
        claimed.add(block);
        await turn(block);
      }
      let result;
      try {
        const mermaid = await load();
        result = await mermaid.render(id, text);
      } catch (error) {
        if (block) block.classList.remove("mermaid"); // the source stays, as without JS
        throw error;
      }
      setTimeout(scrollable); // once the theme has put the diagram in the page
      return { ...result, svg: legible(result.svg, text) };
    },
  };
  window.mermaid = stub;
})();
