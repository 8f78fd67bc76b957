// Reports written without the network: <form data-offline-draft="KEY"> is kept on the device
// (IndexedDB: its fields and its files) while it is typed, and, when it is sent while the
// network is down, kept as a report waiting to be sent. It goes by itself when the network
// returns (the "online" event, or the next page opened online), with a fresh CSRF token.
// The server's own checks decide as always: a refusal keeps the draft and says why.
//
// The texts come translated from the server on this script's tag (data-saved, data-restored,
// data-sent, data-refused, data-signed-out); data-owner is the signed-in person (a draft
// is sent only for its author), data-csrf the address of a fresh token.
(function () {
  "use strict";

  var script = document.currentScript;
  var CONFIG = (script && script.dataset) || {};
  var OWNER = CONFIG.owner || "";
  var DB_NAME = "theodoi";
  var STORE = "drafts";
  var SKIPPED = ["csrfmiddlewaretoken"];

  if (!window.indexedDB || !window.fetch) {
    return; // the form works as before, without drafts
  }

  // --- IndexedDB, as promises.

  var database = null;
  function db() {
    if (!database) {
      database = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "key" });
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          reject(request.error);
        };
      });
    }
    return database;
  }

  function run(mode, action) {
    return db().then(function (handle) {
      return new Promise(function (resolve, reject) {
        var transaction = handle.transaction(STORE, mode);
        var request = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          resolve(request && request.result);
        };
        transaction.onerror = function () {
          reject(transaction.error);
        };
        transaction.onabort = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function load(key) {
    return run("readonly", function (store) {
      return store.get(key);
    });
  }
  function save(draft) {
    return run("readwrite", function (store) {
      return store.put(draft);
    });
  }
  function forget(key) {
    return run("readwrite", function (store) {
      return store.delete(key);
    });
  }
  function all() {
    return run("readonly", function (store) {
      return store.getAll();
    });
  }

  // --- A form as a draft, and back.

  function fileInputs(form) {
    return Array.prototype.slice.call(form.elements).filter(function (element) {
      return element.type === "file" && element.name;
    });
  }

  function capture(form, pending) {
    var fields = [];
    Array.prototype.slice.call(form.elements).forEach(function (element) {
      if (!element.name || element.disabled || SKIPPED.indexOf(element.name) !== -1) {
        return;
      }
      if (["file", "submit", "button", "reset"].indexOf(element.type) !== -1) {
        return;
      }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
        return;
      }
      if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.slice.call(element.selectedOptions).forEach(function (option) {
          fields.push([element.name, option.value]);
        });
        return;
      }
      fields.push([element.name, element.value]);
    });
    var files = [];
    fileInputs(form).forEach(function (input) {
      Array.prototype.slice.call(input.files || []).forEach(function (file) {
        files.push({ field: input.name, name: file.name, type: file.type, blob: file });
      });
    });
    return {
      key: form.dataset.offlineDraft,
      owner: OWNER,
      action: new URL(form.getAttribute("action") || location.href, location.href).href,
      page: location.pathname,
      title: document.title,
      fields: fields,
      files: files,
      pending: Boolean(pending),
      savedAt: new Date().toISOString(),
    };
  }

  function restore(form, draft) {
    var values = {};
    draft.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.slice.call(form.elements).forEach(function (element) {
      var kept = values[element.name];
      if (!kept || SKIPPED.indexOf(element.name) !== -1 || element.type === "file") {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = kept.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.slice.call(element.options).forEach(function (option) {
          option.selected = kept.indexOf(option.value) !== -1;
        });
      } else {
        element.value = kept[0];
      }
    });
    if (draft.files.length && typeof DataTransfer === "function") {
      fileInputs(form).forEach(function (input) {
        var transfer = new DataTransfer();
        draft.files.forEach(function (item) {
          if (item.field === input.name) {
            transfer.items.add(new File([item.blob], item.name, { type: item.type }));
          }
        });
        if (transfer.files.length) {
          input.files = transfer.files;
        }
      });
    }
  }

  function typedSomething(draft) {
    return (
      draft.files.length > 0 ||
      draft.fields.some(function (pair) {
        var element = document.querySelector('[name="' + pair[0] + '"]');
        return element && element.tagName === "TEXTAREA" && pair[1].trim() !== "";
      })
    );
  }

  // --- What the person sees.

  function say(form, message, kind) {
    var box = form && form.querySelector(".draft-status");
    if (form && !box) {
      box = document.createElement("div");
      box.className = "draft-status alert mb-2";
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstElementChild);
    }
    if (!form) {
      var main = document.getElementById("main");
      if (!main) {
        return;
      }
      box = document.createElement("div");
      box.className = "draft-status alert";
      box.setAttribute("role", "status");
      main.insertBefore(box, main.firstChild);
    }
    box.className = "draft-status alert mb-2 alert-" + (kind || "info");
    box.textContent = message;
    box.dataset.state = kind || "info";
    return box;
  }

  function serverWords(page) {
    // The refused page's messages: what the server said was wrong.
    return Array.prototype.slice
      .call(page.querySelectorAll("main > .alert-danger, main > .alert-warning"))
      .map(function (alert) {
        return alert.textContent.trim();
      })
      .join(" ");
  }

  // --- Sending a draft: a fresh token first (the page's may be stale), then the form as the
  // browser would have sent it. htmx's header makes the server answer "saved" with 204 and
  // HX-Redirect, and a refusal with the page and its errors.

  function freshToken() {
    return fetch(CONFIG.csrf, { credentials: "same-origin", cache: "no-store" }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("offline");
        }
        return response.json();
      }
    );
  }

  function post(draft, token, onProgress) {
    return new Promise(function (resolve) {
      var data = new FormData();
      draft.fields.forEach(function (pair) {
        data.append(pair[0], pair[1]);
      });
      draft.files.forEach(function (item) {
        data.append(item.field, item.blob, item.name);
      });
      data.append("csrfmiddlewaretoken", token);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", draft.action);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("HX-Request", "true");
      if (onProgress) {
        xhr.upload.addEventListener("progress", onProgress);
      }
      xhr.addEventListener("load", function () {
        var redirect = xhr.getResponseHeader("HX-Redirect");
        if (xhr.status === 204 && redirect) {
          resolve({ outcome: "sent", redirect: redirect });
        } else {
          resolve({ outcome: "refused", html: xhr.responseText, status: xhr.status });
        }
      });
      xhr.addEventListener("error", function () {
        resolve({ outcome: "offline" });
      });
      xhr.addEventListener("abort", function () {
        resolve({ outcome: "offline" });
      });
      xhr.send(data);
    });
  }

  var sending = {};

  function send(draft, onProgress) {
    if (sending[draft.key]) {
      return sending[draft.key];
    }
    var attempt = (navigator.onLine === false ? Promise.reject(new Error("offline")) : freshToken())
      .then(
        function (answer) {
          if (!answer.signed_in) {
            return { outcome: "signed-out" };
          }
          return post(draft, answer.token, onProgress);
        },
        function () {
          return { outcome: "offline" };
        }
      )
      .then(function (result) {
        if (result.outcome === "sent") {
          return forget(draft.key).then(function () {
            return result;
          });
        }
        if (result.outcome === "refused") {
          // Kept, no longer sent by itself: it needs the person's correction first.
          draft.pending = false;
          return save(draft).then(function () {
            return result;
          });
        }
        return result;
      });
    sending[draft.key] = attempt;
    attempt.then(function () {
      delete sending[draft.key];
    });
    return attempt;
  }

  // --- The form on this page.

  function busy(form, on) {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = on;
    });
    form.querySelectorAll(".busy-indicator").forEach(function (element) {
      element.classList.toggle("d-none", !on);
    });
  }

  function progress(form) {
    var bar = form.querySelector(".upload-progress");
    return function (event) {
      if (bar && event.lengthComputable) {
        bar.classList.remove("d-none");
        bar.value = Math.round((event.loaded / event.total) * 100);
      }
    };
  }

  function showRefusal(form, draft, result) {
    // The server's page with the refused form replaces this one, as htmx would have done;
    // the files are put back from the draft (a browser forgets chosen files).
    var page = new DOMParser().parseFromString(result.html || "", "text/html");
    var again = page.querySelector('form[data-offline-draft="' + draft.key + '"]');
    if (!again || !page.body) {
      // An error page (a file name too long, the server failing): its words above the
      // button, as for any form sent in the page, and everything typed stays.
      sendError(form, page);
      return;
    }
    var words = serverWords(page);
    window.theodoiForms.replaceBody(page);
    document.dispatchEvent(new CustomEvent("theodoi:page"));
    form = document.querySelector('form[data-offline-draft="' + draft.key + '"]');
    restore(form, draft);
    attach(form);
    var box = say(form, (words ? words + " " : "") + (CONFIG.refused || ""), "danger");
    if (box) {
      box.scrollIntoView({ block: "center" });
    }
  }

  function sendError(form, page) {
    window.theodoiForms.showSendError(
      form,
      window.theodoiForms.errorPageWords(page),
      form.dataset.keptText || "",
      form.dataset.sendErrorText || CONFIG.refused || ""
    );
  }

  function submit(form) {
    form.querySelectorAll(".send-error").forEach(function (alert) {
      alert.remove();
    });
    var waitForPhotos = window.theodoiEvidence ? window.theodoiEvidence.ready(form) : Promise.resolve();
    busy(form, true);
    clearTimeout(form._draftTimer);
    form._draftSending = true;
    var draft = null;
    waitForPhotos
      .then(function () {
        draft = capture(form, true);
        // Kept before anything is sent: a connection lost halfway loses nothing.
        return save(draft).then(
          function () {
            return true;
          },
          function () {
            return false;
          }
        );
      })
      .then(function (kept) {
        if (!kept) {
          // The device could not keep the draft (storage full, private mode): the browser
          // sends the form itself, as without this script.
          busy(form, false);
          form._draftSending = false;
          form.dataset.offlineDraft = "";
          HTMLFormElement.prototype.submit.call(form);
          return;
        }
        return send(draft, progress(form)).then(function (result) {
          if (result.outcome === "sent") {
            sent(form);
            location.assign(result.redirect);
            return;
          }
          busy(form, false);
          form._draftSending = false;
          form.querySelectorAll(".upload-progress").forEach(function (bar) {
            bar.classList.add("d-none");
          });
          if (result.outcome === "refused") {
            showRefusal(form, draft, result);
          } else if (result.outcome === "signed-out") {
            say(form, CONFIG.signedOut, "warning");
          } else {
            say(form, CONFIG.saved, "warning");
          }
        });
      });
  }

  function attach(form) {
    if (!form || form._draftAttached) {
      return;
    }
    form._draftAttached = true;
    function keep() {
      clearTimeout(form._draftTimer);
      form._draftTimer = setTimeout(function () {
        if (form._draftSending) {
          return; // being sent: its draft is already kept, and is gone once it arrives
        }
        var key = form.dataset.offlineDraft;
        load(key).then(function (earlier) {
          var draft = capture(form, earlier && earlier.pending);
          if (typedSomething(draft) || earlier) {
            return save(draft);
          }
        });
      }, 400);
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("evidence:ready", keep);
  }

  function start(form) {
    attach(form);
    return load(form.dataset.offlineDraft).then(function (draft) {
      if (!draft || draft.owner !== OWNER) {
        return null;
      }
      restore(form, draft);
      if (draft.pending) {
        say(form, CONFIG.saved, "warning");
      } else if (typedSomething(draft)) {
        say(form, CONFIG.restored, "info");
      }
      return draft;
    });
  }

  // Every report of this person waiting on the device goes now. On its own page the page is
  // reloaded to show it saved; elsewhere a line says so.
  function sendWaiting() {
    if (!OWNER || navigator.onLine === false) {
      return Promise.resolve();
    }
    return all().then(function (drafts) {
      return Promise.all(
        drafts
          .filter(function (draft) {
            return draft.pending && draft.owner === OWNER;
          })
          .map(function (draft) {
            var form = document.querySelector('form[data-offline-draft="' + draft.key + '"]');
            if (form) {
              busy(form, true);
              form._draftSending = true;
            }
            return send(draft, form ? progress(form) : null).then(function (result) {
              if (form) {
                busy(form, false);
                form._draftSending = false;
              }
              if (result.outcome === "sent") {
                if (form) {
                  sent(form);
                  location.assign(result.redirect);
                } else {
                  say(null, CONFIG.sent + " " + draft.title, "success");
                }
              } else if (result.outcome === "refused") {
                if (form) {
                  showRefusal(form, draft, result);
                } else {
                  var page = new DOMParser().parseFromString(result.html || "", "text/html");
                  var words = serverWords(page);
                  say(null, draft.title + ": " + (words ? words + " " : "") + CONFIG.refused, "danger");
                }
              } else if (result.outcome === "signed-out") {
                say(form, CONFIG.signedOut, "warning");
              }
            });
          })
      );
    });
  }

  // The server has the form: the unsaved-changes guard (which never sees this submit, stopped
  // here) must not ask when the page then moves on.
  function sent(form) {
    form.dispatchEvent(new CustomEvent("theodoi:form-sent", { bubbles: true }));
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.dataset || !form.dataset.offlineDraft) {
        return;
      }
      // This script sends the form (htmx and the plain submit stand aside), so the same path
      // serves a report sent now and one sent later.
      event.preventDefault();
      event.stopPropagation();
      submit(form);
    },
    true
  );

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-offline-draft]"));
  Promise.all(forms.map(start)).then(sendWaiting);
  window.addEventListener("online", sendWaiting);
  document.addEventListener("theodoi:page", function () {
    document.querySelectorAll("form[data-offline-draft]").forEach(attach);
  });
  window.theodoiDrafts = { load: load, all: all, sendWaiting: sendWaiting };
})();
