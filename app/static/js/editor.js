// The plan editor, for keyboard users: after "Add a line" or "Copy" the page opens at the
// new row (#line-N); move focus to its first input. After "Preview the fit", focus the
// preview. Everything works without this file.
const row = location.hash.match(/^#line-(\d+)$/) && document.querySelector(location.hash);
const preview = document.getElementById("fit-preview");
if (preview) {
  preview.focus();
} else if (row) {
  row.querySelector("select, input")?.focus();
}
