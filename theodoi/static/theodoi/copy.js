// <button data-copy-from="input-id">: copies that field's text; kept in a file, not inline,
// so the strict Content-Security-Policy (no inline scripts) holds on admin pages too.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy-from]");
    var field = button && document.getElementById(button.dataset.copyFrom);
    if (!field) {
      return;
    }
    event.preventDefault();
    var done = function () {
      button.textContent = button.dataset.copiedText || button.textContent;
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        // Refused by the browser: the text stays selected for a manual copy.
        field.focus();
      });
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });
})();
