/* Keyboard shortcuts for frequent actions.
 *
 * The list lives in the page (templates/partials/_shortcuts.html, built for the user's roles):
 * each [data-shortcut] element there names its keys ("g c": g, then c) and what it does
 * (data-shortcut-action: "go" follows its link, "search" focuses the page's search field or
 * opens the search page, "help" opens the list). Shortcuts never fire while typing in a field,
 * with Ctrl, Alt or Meta held, or while another dialog is open, and they can be turned off
 * (WCAG 2.1.4): the choice stays in this browser's localStorage until sign-out clears it.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "northstar.shortcuts";
  var FOCUS_SEARCH_KEY = "northstar.focusSearch";
  var SEQUENCE_MS = 1500;
  var dialog = document.getElementById("shortcuts-dialog");
  if (!dialog) {
    return;
  }
  var bindings = {};
  var prefixes = {};
  dialog.querySelectorAll("[data-shortcut]").forEach(function (element) {
    var keys = element.getAttribute("data-shortcut");
    bindings[keys] = element;
    var parts = keys.split(" ");
    for (var i = 1; i < parts.length; i++) {
      prefixes[parts.slice(0, i).join(" ")] = true;
    }
  });
  var pending = "";
  var pendingTimer = null;

  function storageGet(storage, key) {
    try { return window[storage].getItem(key); } catch (error) { return null; }
  }

  function storageSet(storage, key, value) {
    try {
      if (value === null) { window[storage].removeItem(key); } else { window[storage].setItem(key, value); }
    } catch (error) { /* storage unavailable: the default (on) applies */ }
  }

  function enabled() {
    return storageGet("localStorage", STORAGE_KEY) !== "off";
  }

  function isTyping(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    if (target.isContentEditable) {
      return true;
    }
    return /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function anotherDialogOpen() {
    return Array.prototype.some.call(document.querySelectorAll("dialog[open]"), function (open) {
      return open !== dialog;
    }) || dialog.open;
  }

  function openHelp() {
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function focusSearch() {
    var field = document.querySelector("[data-search-field]");
    if (field) {
      field.focus();
      if (typeof field.select === "function") { field.select(); }
      return true;
    }
    return false;
  }

  function run(element) {
    var action = element.getAttribute("data-shortcut-action");
    if (action === "help") {
      openHelp();
    } else if (action === "search") {
      if (!focusSearch()) {
        storageSet("sessionStorage", FOCUS_SEARCH_KEY, "1");
        window.location.assign(element.getAttribute("href"));
      }
    } else if (element.getAttribute("href")) {
      window.location.assign(element.getAttribute("href"));
    }
  }

  function resetPending() {
    pending = "";
    if (pendingTimer) {
      window.clearTimeout(pendingTimer);
      pendingTimer = null;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (!enabled() || isTyping(event.target) || anotherDialogOpen()) {
      resetPending();
      return;
    }
    var key = event.key;
    if (!key || key.length !== 1) {
      return;
    }
    key = key === "?" || key === "/" ? key : key.toLowerCase();
    var candidate = pending ? pending + " " + key : key;
    if (!bindings[candidate] && !prefixes[candidate] && pending) {
      candidate = key;  // a new start after an unfinished sequence
    }
    if (bindings[candidate]) {
      event.preventDefault();
      resetPending();
      run(bindings[candidate]);
    } else if (prefixes[candidate]) {
      event.preventDefault();
      resetPending();
      pending = candidate;
      pendingTimer = window.setTimeout(resetPending, SEQUENCE_MS);
    } else {
      resetPending();
    }
  });

  dialog.querySelectorAll("[data-dialog-close]").forEach(function (button) {
    button.addEventListener("click", function () { dialog.close(); });
  });
  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.addEventListener("click", openHelp);
  });
  var toggle = dialog.querySelector("[data-shortcuts-toggle]");
  if (toggle) {
    toggle.checked = enabled();
    toggle.addEventListener("change", function () {
      storageSet("localStorage", STORAGE_KEY, toggle.checked ? null : "off");
    });
  }
  if (storageGet("sessionStorage", FOCUS_SEARCH_KEY)) {
    storageSet("sessionStorage", FOCUS_SEARCH_KEY, null);
    focusSearch();
  }
}());
