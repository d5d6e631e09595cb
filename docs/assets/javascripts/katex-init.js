// Maths, loaded only where there is some: pymdownx.arithmatex leaves each formula as
// \( ... \) in a span.arithmatex or \[ ... \] in a div.arithmatex. On a page that has
// one, the vendored KaTeX (script and style, beside this file) is fetched once and
// renders them, after every instant-navigation page change as on the first load.
// A display formula wider than the column scrolls inside its own box (scroll-box.js).
// Until it is rendered a formula's LaTeX is hidden (extra.css); if KaTeX cannot be
// loaded, it shows.
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
        if (display) kbScrollBox(element, "formula");
      }
      document.documentElement.dataset.kbMath = "ready";
    }, () => { // no KaTeX: the LaTeX is shown as written
      katex = null; // a later page may try again
      for (const element of maths) element.dataset.kbMath = "failed";
    });
  }

  const recheck = () => document.querySelectorAll("div.arithmatex[data-kb-math]")
    .forEach((box) => kbScrollBox(box, "formula"));
  document$.subscribe(render);
  window.addEventListener("resize", recheck);
  // A formula's width is known only once KaTeX's fonts have loaded: check again then.
  if (document.fonts) document.fonts.addEventListener("loadingdone", recheck);
})();
