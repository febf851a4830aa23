/* The session-expiry warning (templates/partials/_session.html).
 *
 * The server says how long an idle session lasts, how much of the absolute lifetime is left
 * and how early to warn (data attributes, from settings). Every request to the server pushes
 * the idle deadline forward; tabs share the latest deadline through localStorage. Shortly
 * before the deadline an alert dialog offers "Stay signed in" (a POST to the keep-alive
 * endpoint); an htmx autosave form with unsaved typing (the intake steps) is saved at that
 * moment, so nothing typed is lost. At the deadline the page signs out and goes to the login
 * page, which returns here afterwards. The automatic save does not count as activity.
 */
(function () {
  "use strict";

  var DEADLINE_KEY = "northstar.sessionDeadline";
  var config = document.getElementById("session-timeout");
  var dialog = document.getElementById("session-warning");
  var endForm = document.getElementById("session-end-form");
  if (!config || !dialog || !endForm) {
    return;
  }
  var idleMs = Number(config.getAttribute("data-idle-seconds")) * 1000;
  var warningMs = Number(config.getAttribute("data-warning-seconds")) * 1000;
  var keepAliveUrl = config.getAttribute("data-keep-alive-url");
  var absoluteDeadline = Date.now() + Number(config.getAttribute("data-absolute-seconds-left")) * 1000;
  var deadline = 0;
  var dirty = false;
  var autosaveRequested = false;
  var autosaveInFlight = false;
  var ending = false;
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
                                      {hour: "numeric", minute: "2-digit"});

  function storedDeadline() {
    try { return Number(window.localStorage.getItem(DEADLINE_KEY)) || 0; } catch (error) { return 0; }
  }

  function touched(idle, absoluteLeft) {
    /* The server has just seen a request: the idle clock restarts. */
    if (typeof absoluteLeft === "number") {
      absoluteDeadline = Date.now() + absoluteLeft * 1000;
    }
    deadline = Math.min(Date.now() + idle, absoluteDeadline);
    try { window.localStorage.setItem(DEADLINE_KEY, String(deadline)); } catch (error) { /* one tab only */ }
    autosaveRequested = false;
    tick();
  }

  function currentDeadline() {
    return Math.min(Math.max(deadline, storedDeadline()), absoluteDeadline);
  }

  function csrfToken() {
    var field = endForm.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function autosaveForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form[hx-post][hx-trigger]"),
      function (form) { return /\bchange\b/.test(form.getAttribute("hx-trigger")); });
  }

  function autosave() {
    autosaveRequested = true;
    if (!dirty) {
      return;
    }
    autosaveForms().forEach(function (form) {
      autosaveInFlight = true;
      if (window.htmx) {
        window.htmx.trigger(form, "change");
      } else {
        form.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
  }

  function showWarning(at) {
    dialog.querySelector("[data-session-deadline]").textContent = clock.format(new Date(at));
    if (!dialog.open) {
      dialog.querySelector("[data-session-error]").hidden = true;
      dialog.showModal();
    }
  }

  function hideWarning() {
    if (dialog.open) {
      dialog.close();
    }
  }

  function end() {
    if (ending) {
      return;
    }
    ending = true;
    var waited = 0;
    (function submitWhenSaved() {
      if (autosaveInFlight && waited < 10000) {
        waited += 250;
        window.setTimeout(submitWhenSaved, 250);
        return;
      }
      endForm.submit();
    }());
  }

  function tick() {
    if (ending) {
      return;
    }
    var at = currentDeadline();
    var left = at - Date.now();
    if (left <= 0) {
      end();
    } else if (left <= warningMs) {
      showWarning(at);
      if (!autosaveRequested) {
        autosave();
      }
    } else {
      hideWarning();
    }
  }

  function stay() {
    var request = new XMLHttpRequest();
    request.open("POST", keepAliveUrl);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.onload = function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
      if (request.status === 200 && answer && typeof answer.idle_seconds === "number") {
        touched(answer.idle_seconds * 1000, answer.absolute_seconds_left);
      } else {
        dialog.querySelector("[data-session-error]").hidden = false;
      }
    };
    request.onerror = function () {
      dialog.querySelector("[data-session-error]").hidden = false;
    };
    request.send();
  }

  dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();  // Escape means "I am here": extend, as "Stay signed in" does
    stay();
  });
  autosaveForms().forEach(function (form) {
    ["input", "change"].forEach(function (type) {
      form.addEventListener(type, function (event) {
        if (event.isTrusted) {
          dirty = true;
        }
      });
    });
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var ours = autosaveInFlight;
    autosaveInFlight = false;
    if (event.detail && event.detail.successful) {
      dirty = false;
      if (!ours) {
        touched(idleMs);
      }
    }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === DEADLINE_KEY) {
      tick();
    }
  });
  touched(idleMs);
  window.setInterval(tick, 1000);
}());
