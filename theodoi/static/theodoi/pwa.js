// theodoi as an installed app: registers the service worker (served at the site's root, so it
// serves every page), and forgets the pages kept for offline reading when the person signs out.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !script.dataset.worker) {
    return;
  }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {
      // Without a worker the site works as before, only not offline.
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action");
    if (!action || !/\/logout\/$/.test(new URL(action, location.href).pathname)) {
      return;
    }
    if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
    }
    if (window.caches) {
      window.caches.delete("theodoi-pages");
    }
  });
})();
