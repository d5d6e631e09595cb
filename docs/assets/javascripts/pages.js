// Behaviour of the site's own pages, after every instant-navigation page change:
// - a search form in a page (home, 404) hands what is typed to the header's search box;
// - the 404 page suggests the entries whose names are closest to the missing address
//   (from assets/javascripts/titles.json, written at build time);
// - on the A-Z index, a letter's link opens its folded section;
// - the convolution figure shows the window of the output cell pointed at or focused;
// - a code block that scrolls sideways can take the keyboard focus (scroll-box.js).
// Text only: the DOM is built with textContent.
(() => {
  const here = document.currentScript.src;
  const siteRoot = () => {
    const home = document.querySelector("[data-md-component=logo]");
    return new URL(home && home.href ? home.href : new URL("../../", here), location.href);
  };

  function search(query) {
    if (window.kbSearch && typeof window.kbSearch.open === "function") {
      window.kbSearch.open(query);
      return;
    }
    const box = document.querySelector(".md-search__input, [data-md-component=search-query]");
    if (!box) return;
    box.focus();
    box.value = query;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function searchForms() {
    document.querySelectorAll("form[data-kb-search]").forEach((form) => {
      const input = form.querySelector("input");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        search(input.value || input.dataset.kbQuery || "");
      });
      input.addEventListener("input", () => {
        if (input.value.trim()) search(input.value);
        input.value = "";
      });
    });
  }

  // --- 404: the closest names -------------------------------------------------------
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();

  function distance(a, b) { // Levenshtein, on two short strings
    let row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }

  function closeness(wanted, name) {
    const candidate = fold(name);
    if (!candidate) return Infinity;
    if (candidate === wanted) return 0;
    if (candidate.startsWith(wanted) || wanted.startsWith(candidate)) return 0.5;
    return distance(wanted, candidate) / Math.max(wanted.length, candidate.length);
  }

  function suggestions(box) {
    const words = decodeURIComponent(location.pathname).split("/").filter(Boolean);
    const wanted = fold(words.length ? words[words.length - 1].replace(/\.html?$/, "") : "");
    const root = siteRoot();
    const form = document.querySelector("form[data-kb-search] input");
    if (form && wanted) {
      form.placeholder = `Search for \u201c${wanted}\u201d, or anything else`;
      form.dataset.kbQuery = wanted;
    }
    if (!wanted) return;
    fetch(new URL("assets/javascripts/titles.json", root))
      .then((response) => response.json())
      .then((entries) => {
        const ranked = entries
          .map(([url, title, ...names]) => ({
            url, title,
            score: Math.min(...[title, url.split("/").filter(Boolean).pop() || "", ...names]
              .map((name) => closeness(wanted, name))),
          }))
          .filter((entry) => entry.score <= 0.5)
          .sort((a, b) => a.score - b.score || a.title.localeCompare(b.title))
          .slice(0, 6);
        if (!ranked.length) return;
        const heading = document.createElement("h2");
        heading.textContent = "Did you mean";
        const list = document.createElement("ul");
        for (const entry of ranked) {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = new URL(entry.url, root).href;
          link.textContent = entry.title;
          item.appendChild(link);
          list.appendChild(item);
        }
        box.replaceChildren(heading, list);
      })
      .catch(() => {});
  }

  // --- the A-Z index: open a letter's section when it is jumped to -------------------
  function openLetter() {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") target.open = true;
  }

  // --- the convolution figure ---------------------------------------------------------
  function convolution(figure) {
    const size = Number(figure.dataset.kernel);
    const input = figure.querySelectorAll(".kb-conv-in tr");
    const sum = figure.querySelector(".kb-conv-sum");
    const select = (cell) => {
      const row = Number(cell.dataset.row);
      const col = Number(cell.dataset.col);
      figure.querySelectorAll(".kb-conv-out .kb-on").forEach((on) => on.classList.remove("kb-on"));
      cell.classList.add("kb-on");
      input.forEach((tr, r) => [...tr.children].forEach((td, c) =>
        td.classList.toggle("kb-on", r >= row && r < row + size && c >= col && c < col + size)));
      sum.textContent = cell.dataset.sum;
    };
    figure.querySelectorAll(".kb-conv-out td[data-sum]").forEach((cell) => {
      cell.addEventListener("mouseenter", () => select(cell));
      cell.addEventListener("focus", () => select(cell));
      cell.addEventListener("click", () => select(cell));
    });
  }

  // --- scrolling boxes can take the focus ---------------------------------------------
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset pre > code")
      .forEach((code) => kbScrollBox(code, "code", false));
  }

  window.addEventListener("hashchange", openLetter);
  document$.subscribe(() => {
    searchForms();
    const missing = document.querySelector("[data-kb-suggest]");
    if (missing) suggestions(missing);
    openLetter();
    document.querySelectorAll(".kb-letters a").forEach((link) =>
      link.addEventListener("click", () => setTimeout(openLetter)));
    document.querySelectorAll(".kb-conv").forEach(convolution);
    focusableScrollers();
  });
})();
