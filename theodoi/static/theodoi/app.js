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
        hidden.dataset.busySubmitter = "";
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

  // [data-evidence-rows]: the rows of evidence files of a form (a Django formset). Without
  // JavaScript the page offers a few empty rows; with it, "add another file" appends a copy of
  // the row <template>, numbered as the formset's next row.
  function showAddRow() {
    document.querySelectorAll("[data-evidence-rows] [data-add-row]").forEach(function (button) {
      button.hidden = false;
    });
  }
  showAddRow();
  // A refused form comes back as a new page body swapped in by htmx.
  document.addEventListener("htmx:afterSettle", showAddRow);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-row]");
    var rows = button && button.closest("[data-evidence-rows]");
    if (!rows) {
      return;
    }
    var total = rows.querySelector('input[name$="-TOTAL_FORMS"]');
    var most = rows.querySelector('input[name$="-MAX_NUM_FORMS"]');
    var template = rows.querySelector("template[data-row-template]");
    var list = rows.querySelector("[data-row-list]");
    var index = parseInt(total.value, 10);
    if (most && index >= parseInt(most.value, 10)) {
      button.disabled = true;
      return;
    }
    list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var row = list.lastElementChild;
    // Other behaviours (the phone's camera and downscaling) enhance the new file input too.
    row.dispatchEvent(new CustomEvent("evidence:row-added", { bubbles: true }));
    var input = row.querySelector("input[type=file]");
    if (input) {
      input.focus();
    }
    if (most && index + 1 >= parseInt(most.value, 10)) {
      button.disabled = true;
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

  // An htmx form whose answer is an error (4xx/5xx) or that never reached the server: htmx
  // swaps nothing, so without this the form would stay "sending" for ever. Undo the busy
  // state, keep everything typed, and say what happened above the button.
  var SEND_FAILED =
    "Không gửi được. Hãy kiểm tra kết nối rồi thử lại; nội dung bạn nhập vẫn còn.";

  function errorPageWords(page) {
    // What an error page says went wrong: its first paragraph.
    var paragraph = page.querySelector("main p, body.error-page p");
    return paragraph ? paragraph.textContent.trim() : "";
  }

  function answerMessage(xhr) {
    // The server's own words when it gave some: JSON {"detail": …} or an error page's text.
    if (!xhr || !xhr.responseText) {
      return "";
    }
    var type = xhr.getResponseHeader("Content-Type") || "";
    try {
      if (type.indexOf("json") !== -1) {
        var detail = JSON.parse(xhr.responseText).detail;
        return typeof detail === "string" ? detail : "";
      }
      if (type.indexOf("html") !== -1) {
        return errorPageWords(new DOMParser().parseFromString(xhr.responseText, "text/html"));
      }
    } catch (error) {
      return "";
    }
    return "";
  }

  function sendFailed(event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (!form) {
      return;
    }
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
    form.querySelectorAll(".busy-indicator, .upload-progress").forEach(function (element) {
      element.classList.add("d-none");
    });
    form.querySelectorAll("input[data-busy-submitter]").forEach(function (input) {
      input.remove();
    });
    showSendError(
      form,
      answerMessage(event.detail.xhr),
      form.dataset.keptText || "Nội dung bạn nhập vẫn còn.",
      form.dataset.sendErrorText || SEND_FAILED
    );
  }

  // Above the form's button: the server's ``words`` followed by ``kept`` (that what was typed
  // is still there), or ``fallback`` when the server said nothing.
  function showSendError(form, words, kept, fallback) {
    var alert = form.querySelector(".send-error");
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "alert alert-danger mt-2 mb-0 send-error";
      alert.setAttribute("role", "alert");
      var button = form.querySelector("button[type=submit]");
      var row = button && button.parentElement !== form ? button.parentElement : button;
      form.insertBefore(alert, row && row.parentElement === form ? row : null);
    }
    alert.textContent = words ? words + " " + kept : fallback;
    alert.scrollIntoView({ block: "nearest" });
  }

  // A page sent back in place of the current one (a form sent by script): its content replaces
  // the body's, and htmx starts on it.
  function replaceBody(page) {
    document.body.replaceChildren.apply(
      document.body,
      Array.prototype.slice.call(page.body.childNodes).map(function (node) {
        return document.adoptNode(node);
      })
    );
    if (window.htmx) {
      window.htmx.process(document.body);
    }
  }
  document.addEventListener("htmx:responseError", sendFailed);
  document.addEventListener("htmx:sendError", sendFailed);
  // A new attempt: the old message no longer applies.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    var alert = form && form.querySelector(".send-error");
    if (alert) {
      alert.remove();
    }
  });
  // <input type=checkbox data-check-all="NAME">: ticks or clears every box named NAME in its
  // form; <span data-checked-count="NAME"> shows how many are ticked.
  function countChecked(form, name) {
    var boxes = form.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    var ticked = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    form.querySelectorAll('[data-checked-count="' + name + '"]').forEach(function (span) {
      span.textContent = String(ticked);
    });
    form.querySelectorAll('[data-check-all="' + name + '"]').forEach(function (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.form || box.type !== "checkbox") {
      return;
    }
    var name = box.dataset.checkAll;
    var section = box.dataset.checkSection;
    if (section) {
      // A section's box ticks or clears the tasks of that section only.
      box.form
        .querySelectorAll('input[type=checkbox][name="tasks"][data-section="' + section + '"]')
        .forEach(function (other) {
          other.checked = box.checked;
        });
      countChecked(box.form, "tasks");
    } else if (name) {
      box.form
        .querySelectorAll('input[type=checkbox][name="' + name + '"]')
        .forEach(function (other) {
          other.checked = box.checked;
        });
      countChecked(box.form, name);
    } else if (box.name && box.form.querySelector('[data-check-all="' + box.name + '"]')) {
      countChecked(box.form, box.name);
    }
  });
  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    if (all.form) {
      countChecked(all.form, all.dataset.checkAll);
    }
  });

  // For the scripts loaded after this one (evidence-input.js, drafts.js).
  window.theodoiForms = {
    errorPageWords: errorPageWords,
    replaceBody: replaceBody,
    showSendError: showSendError,
  };
})();
