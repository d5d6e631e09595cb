// Abbreviations (CNN, LSTM, ReLU, ...). Each links to its glossary entry, unless it is
// already inside a link or a heading, or on that entry's own page. Each shows its
// meaning in a tooltip on hover, on keyboard focus and on tap, not only in a native
// title. The meaning comes from the abbr extension; window.kbAbbreviations
// (abbreviation -> slug) is written at build time. Text only: the DOM is built with
// textContent.
(() => {
  // The site's root for the page on screen, from the header's home link: instant
  // navigation swaps that link with each page (the theme's config keeps the first
  // page's relative base, which is wrong for any other page).
  function siteRoot() {
    const home = document.querySelector("[data-md-component=logo]");
    return new URL(home && home.href ? home.href : "./", location.href);
  }

  const tip = document.createElement("div");
  tip.id = "kb-tip";
  tip.className = "kb-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  let shown = null;

  function show(abbr) {
    if (!tip.isConnected) document.body.appendChild(tip);
    shown = abbr;
    tip.textContent = `${abbr.textContent}: ${abbr.dataset.kbMeaning}`;
    tip.hidden = false;
    abbr.setAttribute("aria-describedby", tip.id);
    const box = abbr.getBoundingClientRect();
    const width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
  }

  function hide() {
    if (shown) shown.removeAttribute("aria-describedby");
    shown = null;
    tip.hidden = true;
  }

  const meaningOf = (target) =>
    target instanceof Element ? target.closest("abbr[data-kb-meaning]") : null;
  const linkedAbbr = (target) => {
    const link = target instanceof Element ? target.closest("a.kb-abbr") : null;
    return link ? link.querySelector("abbr[data-kb-meaning]") : null;
  };

  document.addEventListener("mouseover", (event) => {
    const abbr = meaningOf(event.target);
    if (abbr && abbr !== shown) show(abbr);
    else if (!abbr && shown && !shown.contains(document.activeElement)) hide();
  });
  document.addEventListener("focusin", (event) => {
    const abbr = meaningOf(event.target) || linkedAbbr(event.target);
    if (abbr) show(abbr);
    else hide();
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  document.addEventListener("click", (event) => {
    const abbr = meaningOf(event.target);
    if (abbr && !abbr.closest("a")) show(abbr); // a tap on an abbreviation, not a link
    else if (!abbr) hide();
  });

  document$.subscribe(() => {
    hide();
    const root = siteRoot();
    const slugs = window.kbAbbreviations || {};
    document.querySelectorAll("article abbr[title]").forEach((abbr) => {
      abbr.dataset.kbMeaning = abbr.title;
      abbr.removeAttribute("title"); // the tooltip shows it instead of the native one
      const slug = slugs[abbr.textContent];
      const target = slug ? new URL(`glossary/${encodeURIComponent(slug)}/`, root) : null;
      const item = abbr.closest("li");
      const linkable = target && target.pathname !== location.pathname
        && !abbr.closest("a, h1, h2, h3, h4, h5, h6, nav, .kb-links")
        && !(item && item.querySelector(":scope > a:not(.kb-abbr)")); // a list of pages

      if (!linkable) {
        if (!abbr.closest("a")) abbr.tabIndex = 0;
        return;
      }
      const link = document.createElement("a");
      link.href = target.href;
      link.className = "kb-abbr";
      abbr.replaceWith(link);
      link.appendChild(abbr);
    });
  });
})();
