/* Wide tables stay usable from the keyboard.
 *
 * A table wider than the screen (the audit log on a laptop, any list on a phone) scrolls
 * sideways inside its Bootstrap .table-responsive wrapper. Someone without a mouse must be able
 * to reach that scrolling area and move it with the arrow keys (WCAG 2.1.1; axe's
 * "scrollable-region-focusable"), so a wrapper that scrolls becomes a focusable region named
 * after its table's caption, and stops being one when it fits again (after a resize or an
 * htmx swap): a table that fits adds no tab stop. Wrappers that set their own tabindex in the
 * template are left as they are.
 */
(function () {
  "use strict";

  function caption(wrapper) {
    var element = wrapper.querySelector("caption");
    return element ? element.textContent.trim() : "";
  }

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      var automatic = wrapper.hasAttribute("data-scroll-region");
      if (wrapper.hasAttribute("tabindex") && !automatic) {
        return;
      }
      var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
      if (scrolls && !automatic) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("data-scroll-region", "");
        if (caption(wrapper)) {
          wrapper.setAttribute("aria-label", caption(wrapper));
        }
      } else if (!scrolls && automatic) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
          wrapper.removeAttribute(name);
        });
      }
    });
  }

  var pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  }

  update();
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", update);
})();
