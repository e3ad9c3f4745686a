// Pages that upload a sheet (发货, 商品库): show the chosen file's name in the page's own
// words (the browser's file picker would say "No file chosen" in the browser's language).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  const shown = input.closest("form")?.querySelector("[data-file-name]");
  if (shown && input.files && input.files.length) shown.textContent = input.files[0].name;
});
