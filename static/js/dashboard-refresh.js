// Live figures: while fieldwork is in progress the dashboard asks for its figures again
// every data-refresh-seconds and swaps them in place, without reloading the page. Open
// details stay open and focus stays where it was; the update is announced politely.
// Without this script the page is an ordinary page showing the figures when loaded.
(function () {
  "use strict";

  var container = document.getElementById("dashboard-figures");
  var status = document.getElementById("dashboard-refresh-status");
  if (!container || !status || !window.fetch) {
    return;
  }
  var seconds = Number(container.getAttribute("data-refresh-seconds"));
  if (!(seconds > 0)) {
    return;
  }
  var timer = null;
  var busy = false;

  function openDetailIds() {
    var open = container.querySelectorAll("details[open][id]");
    return Array.prototype.map.call(open, function (details) {
      return details.id;
    });
  }

  // Where keyboard focus is, described so that it can be found again in the new figures.
  function focusKey() {
    var active = document.activeElement;
    if (!active || !container.contains(active)) {
      return null;
    }
    if (active.id) {
      return { id: active.id };
    }
    var details = active.closest("details[id]");
    if (active.tagName === "SUMMARY" && details) {
      return { summaryOf: details.id };
    }
    if (active.getAttribute("href")) {
      return { href: active.getAttribute("href") };
    }
    return null;
  }

  function restoreFocus(key) {
    if (!key) {
      return;
    }
    var target = null;
    if (key.id) {
      target = document.getElementById(key.id);
    } else if (key.summaryOf) {
      var details = document.getElementById(key.summaryOf);
      target = details && details.querySelector("summary");
    } else if (key.href) {
      target = container.querySelector('[href="' + key.href.replace(/"/g, '\\"') + '"]');
    }
    if (target) {
      target.focus({ preventScroll: true });
    }
  }

  function stop(message) {
    clearInterval(timer);
    timer = null;
    status.textContent = message;
  }

  function refresh() {
    if (busy || document.hidden || !timer) {
      return;
    }
    busy = true;
    fetch(window.location.href, {
      // A background refresh is not activity: it must not keep an idle session alive.
      headers: { "X-Dashboard-Fragment": "figures", "X-Background-Request": "1" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        // A signed-out session answers with the sign-in page, not the figures.
        if (!response.ok || response.headers.get("X-Dashboard-Fragment") !== "figures") {
          throw new Error("not the figures");
        }
        return response.text();
      })
      .then(function (html) {
        var open = openDetailIds();
        var focus = focusKey();
        container.innerHTML = html;
        open.forEach(function (id) {
          var details = document.getElementById(id);
          if (details) {
            details.open = true;
          }
        });
        restoreFocus(focus);
        var stamp = container.querySelector("[data-updated-at]");
        status.textContent =
          "Figures updated at " + (stamp ? stamp.getAttribute("data-updated-at") : "") + ".";
      })
      .catch(function () {
        stop("The figures could not be updated. Reload the page to see the latest figures.");
      })
      .then(function () {
        busy = false;
      });
  }

  timer = setInterval(refresh, seconds * 1000);
  // A hidden tab skips its refreshes; catch up as soon as it is shown again.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      refresh();
    }
  });
})();
