// Maths, loaded only where there is some: pymdownx.arithmatex leaves each formula as
// \( ... \) in a span.arithmatex or \[ ... \] in a div.arithmatex. On a page that has
// one, the vendored KaTeX (script and style, beside this file) is fetched once and
// renders them, after every instant-navigation page change as on the first load.
// A display formula wider than the column scrolls inside its own box, which can then
// take the keyboard focus, and fades out at the edge where more of it lies. Until it is
// rendered a formula's LaTeX is hidden (extra.css); if KaTeX cannot be loaded, it shows.
(() => {
  const here = document.currentScript.src;
  const asset = (path) => new URL(path, here).href;
  let katex = null;

  function load() {
    katex ||= new Promise((resolve, reject) => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = asset("../vendor/katex/katex.min.css");
      document.head.appendChild(style);
      const script = document.createElement("script");
      script.src = asset("../vendor/katex/katex.min.js");
      script.onload = () => resolve(window.katex);
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return katex;
  }

  function edges(box) { // kb-more-before, kb-more-after: where more of it lies (extra.css)
    const more = box.scrollWidth - box.clientWidth;
    box.classList.toggle("kb-more-before", more > 1 && box.scrollLeft > 1);
    box.classList.toggle("kb-more-after", more > 1 && box.scrollLeft < more - 1);
  }

  function scrollable(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "formula, scrolls sideways");
      if (!("kbEdges" in box.dataset)) {
        box.dataset.kbEdges = "";
        box.addEventListener("scroll", () => edges(box), { passive: true });
      }
    } else {
      box.removeAttribute("tabindex");
    }
    edges(box);
  }

  function render() {
    const maths = [...document.querySelectorAll(".arithmatex:not([data-kb-math])")];
    if (!maths.length) return;
    load().then((lib) => {
      for (const element of maths) {
        const display = element.tagName === "DIV";
        const tex = element.textContent.trim()
          .replace(display ? /^\\\[|\\\]$/g : /^\\\(|\\\)$/g, "");
        lib.render(tex, element, { displayMode: display, throwOnError: false });
        element.dataset.kbMath = "";
        if (display) scrollable(element);
      }
      document.documentElement.dataset.kbMath = "ready";
    }, () => { // no KaTeX: the LaTeX is shown as written
      katex = null; // a later page may try again
      for (const element of maths) element.dataset.kbMath = "failed";
    });
  }

  const recheck = () =>
    document.querySelectorAll("div.arithmatex[data-kb-math]").forEach(scrollable);
  document$.subscribe(render);
  window.addEventListener("resize", recheck);
  // A formula's width is known only once KaTeX's fonts have loaded: check again then.
  if (document.fonts) document.fonts.addEventListener("loadingdone", recheck);
})();
