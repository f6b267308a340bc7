// Saves a section's answers as a draft in the background, shortly after each change.
// Progressive enhancement only: without this file the "Save" buttons do the same.
// Every save carries the version the page is based on; the server answers with the
// new version (written back into the form) or 409 when someone else saved first, and
// then nothing more is saved in the background: the user chooses on the conflict page.

const DELAY_MS = 1500;

function enhance(form) {
  const status = document.getElementById(form.dataset.autosaveStatus);
  const version = form.querySelector('input[name="version"]');
  if (!status || !version) return;

  let timer = null;
  let inFlight = null;
  let dirty = false;
  let stopped = false;

  function show(message, link) {
    status.textContent = message;
    if (link) {
      status.append(" ");
      const anchor = document.createElement("a");
      anchor.className = "govuk-link";
      anchor.href = link.href;
      anchor.textContent = link.text;
      status.append(anchor);
    }
  }

  async function send() {
    dirty = false;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1", Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      dirty = true;
      show("Your latest changes could not be saved automatically. Check your connection, then select ‘Save as draft’.");
      return;
    }
    const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
    if (response.redirected || (response.ok && !json)) {
      // Sent to the sign-in page: the session ended (signed out elsewhere, or timed out).
      stopped = true;
      show(
        "You have been signed out, so your latest changes have not been saved. Copy anything you need to keep before you sign in again.",
      );
      return;
    }
    // Any answer from the server renewed the session: restart the timeout warning's countdown.
    document.dispatchEvent(new CustomEvent("session:renewed"));
    if (response.ok) {
      const saved = await response.json();
      version.value = saved.version;
      show(`Saved at ${saved.saved_at}`);
    } else if (response.status === 409) {
      stopped = true;
      show(
        "Someone else has saved this case since you opened this page, so your latest changes have not been saved. Select ‘Save as draft’ to compare your answers with theirs and choose, or",
        { href: form.action, text: "reload the page to see their answers (your changes will be lost)" },
      );
    } else if (response.status === 400) {
      show("Some answers could not be saved automatically. Select ‘Save as draft’ to see why.");
    } else {
      stopped = response.status === 403;
      show("Your latest changes could not be saved automatically. Select ‘Save as draft’.");
    }
  }

  async function save() {
    timer = null;
    if (stopped || !dirty) return;
    if (inFlight) {
      await inFlight; // one save at a time, each based on the version the last returned
      if (stopped || !dirty) return;
    }
    inFlight = send().finally(() => {
      inFlight = null;
    });
    await inFlight;
  }

  function changed() {
    if (stopped) return;
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", async (event) => {
    // The button's save takes over; let a background save finish first so the form
    // carries the version it returned, not one it has just made stale.
    clearTimeout(timer);
    timer = null;
    dirty = false;
    if (inFlight) {
      event.preventDefault();
      const submitter = event.submitter;
      await inFlight;
      form.requestSubmit(submitter);
    }
  });
}

for (const form of document.querySelectorAll("form[data-autosave]")) {
  enhance(form);
}
