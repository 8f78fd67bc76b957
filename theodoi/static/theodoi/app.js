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

  // <div class="drop-zone" data-drop-for="input-id">: files dropped on it go to that input.
  document.addEventListener("dragover", function (event) {
    var zone = event.target.closest && event.target.closest(".drop-zone");
    if (zone) {
      event.preventDefault();
      zone.classList.add("drop-zone-active");
    }
  });
  document.addEventListener("dragleave", function (event) {
    var zone = event.target.closest && event.target.closest(".drop-zone");
    if (zone) {
      zone.classList.remove("drop-zone-active");
    }
  });
  document.addEventListener("drop", function (event) {
    var zone = event.target.closest && event.target.closest(".drop-zone");
    if (!zone) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("drop-zone-active");
    var input = document.getElementById(zone.dataset.dropFor);
    if (input && event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // <form data-upload-progress hx-post=…>: a <progress class="upload-progress"> follows the
  // upload, so a large scan does not look frozen.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload-progress]");
    var bar = form && form.querySelector(".upload-progress");
    if (bar && event.detail.lengthComputable) {
      bar.classList.remove("d-none");
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
})();
