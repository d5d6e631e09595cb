// Render the math that pymdownx.arithmatex leaves as \( ... \) and \[ ... \], after every
// instant-navigation page change as well as on the first load.
document$.subscribe(() => {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
