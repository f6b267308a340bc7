// The GOV.UK timeout warning: before an idle session ends, a modal dialog offers
// "Stay signed in" (a small request that renews the session) or "Sign out"; when the
// time runs out it signs the user out and the sign-in page says why. Nobody loses
// typed work without warning. Other scripts that talk to the server (autosave) may
// dispatch a "session:renewed" event on document to restart the countdown.
(function () {
  "use strict";

  var dialog = document.getElementById("session-timeout");
  var idleSeconds = Number(document.body.getAttribute("data-session-idle-seconds"));
  if (!dialog || typeof dialog.showModal !== "function" || !(idleSeconds > 0)) {
    return;
  }
  var warningSeconds = Number(dialog.getAttribute("data-session-warning-seconds")) || 120;
  warningSeconds = Math.min(warningSeconds, idleSeconds);
  var keepAliveUrl = dialog.getAttribute("data-keep-alive-url");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var spoken = dialog.querySelector("[data-session-countdown-spoken]");
  var keepAliveError = dialog.querySelector("[data-session-keep-alive-error]");
  var stayButton = dialog.querySelector("[data-session-stay]");
  var timedOutForm = dialog.querySelector("form[data-session-timed-out]");
  var heading = document.getElementById("session-timeout-heading");

  var expiresAt = 0;
  var warnTimer = null;
  var ticker = null;
  var lastSpoken = null;
  var returnFocusTo = null;

  function duration(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    var parts = [];
    if (minutes) {
      parts.push(minutes + (minutes === 1 ? " minute" : " minutes"));
    }
    if (rest || !minutes) {
      parts.push(rest + (rest === 1 ? " second" : " seconds"));
    }
    return parts.join(" ");
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
  }

  function tick() {
    var left = secondsLeft();
    if (left <= 0) {
      timeOut();
      return;
    }
    countdown.textContent = duration(left);
    // Announce whole minutes and the last half minute, not every second.
    var announce = left > 60 ? Math.ceil(left / 60) * 60 : left > 30 ? 60 : left > 10 ? 30 : 10;
    if (announce !== lastSpoken) {
      lastSpoken = announce;
      spoken.textContent = "We will sign you out in " + duration(left) + ".";
    }
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearInterval(ticker);
    expiresAt = Date.now() + idleSeconds * 1000;
    warnTimer = setTimeout(open, Math.max(0, idleSeconds - warningSeconds) * 1000);
  }

  function open() {
    if (dialog.open) {
      return;
    }
    returnFocusTo = document.activeElement;
    keepAliveError.hidden = true;
    lastSpoken = null;
    tick();
    dialog.showModal();
    heading.focus();
    ticker = setInterval(tick, 1000);
  }

  function close() {
    clearInterval(ticker);
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
  }

  function stay() {
    fetch(keepAliveUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 204 && !response.redirected) {
          close();
          schedule();
        } else {
          // The session has already ended on the server.
          timeOut();
        }
      })
      .catch(function () {
        keepAliveError.hidden = false;
      });
  }

  function timeOut() {
    clearInterval(ticker);
    clearTimeout(warnTimer);
    timedOutForm.submit();
  }

  stayButton.addEventListener("click", stay);
  // Escape means "stay": the dialog must not close without renewing the session.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stay();
  });
  document.addEventListener("session:renewed", function () {
    if (!dialog.open) {
      schedule();
    }
  });
  schedule();
})();
