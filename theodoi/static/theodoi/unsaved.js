// theodoi: <form data-unsaved-warning> asks before the page is left (a link, a reload, closing
// the tab) while something typed in it is not saved yet. The browser shows its own question;
// its words cannot be chosen by the page.
//
// A form is "changed" when one of its fields differs from what the page was loaded with (its
// default value), so typing a value and erasing it again is no change, and fields an htmx swap
// brings in (a preview, a row added) are not changes either: they come with their defaults.
// <form data-unsaved-dirty> is changed from the start: the server showed it again with what the
// person typed after refusing it, and that is not saved. Sending the form itself does not ask.
(function () {
  "use strict";

  var SELECTOR = "form[data-unsaved-warning]";
  var NOT_TYPED = ["hidden", "submit", "button", "reset", "image"];
  // The values a form was last sent with: what the server has, so not "unsaved".
  var sent = new WeakMap();
  // Forms whose htmx request is on its way: their page is about to be replaced by the answer.
  var sending = new WeakSet();

  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return (
        field.name &&
        !field.disabled &&
        NOT_TYPED.indexOf(field.type) === -1 &&
        !field.closest("[data-unsaved-ignore]")
      );
    });
  }

  function current(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked ? "1" : "";
    }
    if (field.type === "file") {
      return Array.prototype.map
        .call(field.files || [], function (file) {
          return file.name;
        })
        .join("\n");
    }
    if (field.options) {
      return Array.prototype.filter
        .call(field.options, function (option) {
          return option.selected;
        })
        .map(function (option) {
          return option.value;
        })
        .join("\n");
    }
    return field.value;
  }

  function initial(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.defaultChecked ? "1" : "";
    }
    if (field.type === "file") {
      return "";
    }
    if (field.options) {
      var chosen = Array.prototype.filter.call(field.options, function (option) {
        return option.defaultSelected;
      });
      // A single choice list with no option marked shows its first one.
      if (!chosen.length && !field.multiple && field.options.length) {
        chosen = [field.options[0]];
      }
      return chosen
        .map(function (option) {
          return option.value;
        })
        .join("\n");
    }
    return field.defaultValue;
  }

  function changed(form) {
    if (sending.has(form)) {
      return false;
    }
    if (form.hasAttribute("data-unsaved-dirty")) {
      return true;
    }
    var before = sent.get(form);
    return typedFields(form).some(function (field) {
      var was = before && before.has(field) ? before.get(field) : initial(field);
      return current(field) !== was;
    });
  }

  // What the form holds now is what the server gets.
  function markSent(form) {
    var values = new Map();
    typedFields(form).forEach(function (field) {
      values.set(field, current(field));
    });
    sent.set(form, values);
    form.removeAttribute("data-unsaved-dirty");
  }

  // Registered after app.js's own submit listener (the scripts run in order), so a send the
  // person cancelled in its confirmation (defaultPrevented) keeps the form unsaved.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!event.defaultPrevented && form.matches && form.matches(SELECTOR)) {
      markSent(form);
    }
  });

  // A form another script sent itself (the offline drafts of the report form) says so.
  document.addEventListener("theodoi:form-sent", function (event) {
    var form = event.target;
    if (form.matches && form.matches(SELECTOR)) {
      markSent(form);
    }
  });

  // A guarded form sent by htmx (htmx prevents the ordinary submit): the answer either replaces
  // the page (HX-Redirect, a refused form swapped in) or confirms what was sent. Requests of
  // fields inside the form (a preview as one types) are not the form being sent.
  function htmxForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.matches && elt.matches(SELECTOR) ? elt : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      sending.add(form);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = htmxForm(event);
    if (!form) {
      return;
    }
    sending.delete(form);
    if (event.detail.successful) {
      markSent(form);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll(SELECTOR);
    if (Array.prototype.some.call(forms, changed)) {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = "";
    }
  });
})();
