// Diagrams, loaded only where there is one. The theme renders each ```mermaid block
// with window.mermaid, and would fetch Mermaid from a CDN if it found none: this stands
// in for it, and loads the vendored copy (beside this file) the first time a page asks
// for a diagram. It also keeps diagram text legible (never scaled below 12 px: a wider
// diagram scrolls sideways in its box) and gives each diagram an accessible name.
(() => {
  const source = new URL("../vendor/mermaid/mermaid.min.js", document.currentScript.src).href;
  const FONT = 16; // px: the diagrams' font size, before scaling
  const SMALLEST = 12; // px: the smallest text a diagram may be scaled to
  let options = {};
  let real = null;
  let loading = null;

  function load() {
    loading ||= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = source;
      script.onload = () => {
        real = window.mermaid;
        window.mermaid = stub;
        real.initialize(options);
        resolve(real);
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  const LABELS = ".edgeLabel, .edgeLabel p, .edgeLabel span, .labelBkg {"
    + " background-color: var(--md-default-bg-color) !important;"
    + " color: var(--md-default-fg-color) !important; opacity: 1 !important; }"
    + " .edgeLabel rect { fill: var(--md-default-bg-color) !important; opacity: 1 !important; }";
  const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // The names in a diagram's boxes, for its accessible name when it has no accTitle.
  function describe(text) {
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
      const least = Math.ceil(parseFloat(box[1]) * SMALLEST / FONT);
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

  // A diagram wider than the column scrolls in its box, which can then take the focus.
  function scrollable() {
    document.querySelectorAll("div.mermaid").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1 && box.tabIndex < 0) {
        box.tabIndex = 0;
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "diagram, scrolls sideways");
      }
    });
  }
  window.addEventListener("resize", scrollable);

  const stub = {
    initialize(given) {
      options = { ...given, fontSize: FONT, flowchart: { ...(given.flowchart || {}), useMaxWidth: true } };
      if (real) real.initialize(options);
    },
    async render(id, text) {
      const mermaid = await load();
      const result = await mermaid.render(id, text);
      setTimeout(scrollable); // once the theme has put the diagram in the page
      return { ...result, svg: legible(result.svg, text) };
    },
  };
  window.mermaid = stub;
})();
