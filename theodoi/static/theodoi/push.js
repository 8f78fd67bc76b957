// "Enable notifications on this device": subscribes this browser to Web Push with the
// installation's VAPID public key and hands the subscription to the server. The push and click
// handlers live in sw-push.js, imported by the app's service worker; a browser without one
// registers sw-push.js by itself.
(function () {
  "use strict";
  var card = document.getElementById("push-card");
  if (!card || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  var button = document.getElementById("push-enable");
  var status = document.getElementById("push-status");
  card.hidden = false;

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function active(registration) {
    if (registration.active) { return Promise.resolve(registration); }
    var worker = registration.installing || registration.waiting;
    return new Promise(function (resolve) {
      worker.addEventListener("statechange", function () {
        if (worker.state === "activated") { resolve(registration); }
      });
    });
  }

  function registration() {
    return navigator.serviceWorker.getRegistration().then(function (existing) {
      return existing || navigator.serviceWorker.register(card.dataset.swUrl);
    }).then(active);
  }

  function say(key) {
    status.textContent = status.dataset[key] || "";
  }

  function send(subscription) {
    var json = subscription.toJSON();
    var body = new URLSearchParams({
      endpoint: json.endpoint,
      p256dh: json.keys.p256dh,
      auth: json.keys.auth,
    });
    return fetch(card.dataset.subscribeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: body,
    }).then(function (response) {
      if (!response.ok) { throw new Error("subscribe " + response.status); }
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.getSubscription().then(function (existing) {
          return existing || reg.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(card.dataset.vapidKey),
          });
        });
      }).then(send).then(function () { say("done"); });
    }).catch(function () {
      say("failed");
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
