// The report draft's "Print the draft" button: shown only when script can print.
const button = document.querySelector("[data-app-print]");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
