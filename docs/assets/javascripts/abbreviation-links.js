// Make each abbreviation (CNN, LSTM, ReLU, ...) a link to its glossary entry, unless it
// is already inside a link or on that entry's own page. The hover text comes from the
// abbr extension; window.kbAbbreviations (abbreviation -> slug) is written at build time.
document$.subscribe(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const root = new URL(config.base + "/", location.href);
  document.querySelectorAll("article abbr[title]").forEach((abbr) => {
    const slug = (window.kbAbbreviations || {})[abbr.textContent];
    if (!slug || abbr.closest("a")) return;
    const target = new URL(`glossary/${slug}/`, root);
    if (target.pathname === location.pathname) return;
    const link = document.createElement("a");
    link.href = target.href;
    link.className = "kb-abbr";
    abbr.replaceWith(link);
    link.appendChild(abbr);
  });
});
