// The plan editor, for keyboard users: after "Add a line" or "Copy" the page opens at the
// new row (#line-N); move focus to its first input. After "Preview the fit", focus the
// preview. Everything works without this file. It waits for the browser to have scrolled
// to the fragment, which would otherwise take the focus away again.
function focusTarget() {
  const preview = document.getElementById("fit-preview");
  const row = /^#line-\d+$/.test(location.hash) && document.querySelector(location.hash);
  if (preview) {
    preview.focus();
  } else if (row) {
    row.querySelector("select, input")?.focus();
  }
}
if (document.readyState === "complete") {
  setTimeout(focusTarget, 0);
} else {
  window.addEventListener("load", () => setTimeout(focusTarget, 0));
}
