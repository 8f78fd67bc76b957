// theodoi: small behaviours shared by every page, kept out of the HTML so a strict
// Content-Security-Policy (no inline scripts) can be used.
(function () {
  "use strict";

  // <form data-confirm="…">: ask before a destructive or final action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // <form data-busy>: show that the work is running and prevent a second click.
    if (form.hasAttribute("data-busy")) {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
      var indicator = form.querySelector(".busy-indicator");
      if (indicator) {
        indicator.classList.remove("d-none");
      }
      if (submitter && submitter.name) {
        // A disabled button is not sent: keep its name/value for the server.
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
    }
  });
})();
