// A box wider than the column (a display formula, a diagram, a code block) scrolls
// sideways inside itself. kbScrollBox(box, what) makes such a box take the keyboard
// focus under a name ("formula, scrolls sideways"), and, for formulas and diagrams,
// marks the edge where more of it lies (kb-more-before, kb-more-after: a fade in
// extra.css) as it scrolls. It is called again whenever the box's width may have
// changed, and undoes all this when the box no longer scrolls.
window.kbScrollBox = (() => {
  function edges(box) {
    const more = box.scrollWidth - box.clientWidth;
    box.classList.toggle("kb-more-before", more > 1 && box.scrollLeft > 1);
    box.classList.toggle("kb-more-after", more > 1 && box.scrollLeft < more - 1);
  }

  return (box, what, fades = true) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", `${what}, scrolls sideways`);
      if (fades && !("kbEdges" in box.dataset)) {
        box.dataset.kbEdges = "";
        box.addEventListener("scroll", () => edges(box), { passive: true });
      }
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
    if (fades) edges(box);
  };
})();
