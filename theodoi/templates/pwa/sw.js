{% autoescape off %}// theodoi's service worker: keeps the styles, scripts and icons on the phone, and the task
// pages an officer opened, so that a report can be written without the network (the draft
// itself is kept by the page, in IndexedDB, and sent by the page when the network returns).
"use strict";
var CONFIG = {{ config }};
var SHELL_CACHE = "theodoi-shell-" + CONFIG.version;
var PAGE_CACHE = "theodoi-pages";
var MAX_PAGES = 40;
var PAGE_PATTERNS = CONFIG.pagePatterns.map(function (source) {
  return new RegExp(source);
});

// Web Push (notifications) lives in its own file, shared with its own tests.
importScripts({{ push_url }});

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then(function (cache) {
        return cache.addAll(CONFIG.shell);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (key) {
              return key.indexOf("theodoi-shell-") === 0 && key !== SHELL_CACHE;
            })
            .map(function (key) {
              return caches.delete(key);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

// Signing out forgets the pages kept for offline reading: the next person to use the phone
// must not read them.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

function keepsOffline(url) {
  return PAGE_PATTERNS.some(function (pattern) {
    return pattern.test(url.pathname);
  });
}

function trim(cache) {
  return cache.keys().then(function (requests) {
    var extra = requests.length - MAX_PAGES;
    return Promise.all(
      requests.slice(0, Math.max(extra, 0)).map(function (request) {
        return cache.delete(request);
      })
    );
  });
}

// Pages: always the network's copy when it answers; the kept copy (or the offline page) only
// when it does not.
function page(event, url) {
  return fetch(event.request)
    .then(function (response) {
      var cacheControl = response.headers.get("Cache-Control") || "";
      if (
        response.ok &&
        !response.redirected &&
        keepsOffline(url) &&
        cacheControl.indexOf("no-store") === -1
      ) {
        var copy = response.clone();
        event.waitUntil(
          caches.open(PAGE_CACHE).then(function (cache) {
            return cache.put(url.pathname + url.search, copy).then(function () {
              return trim(cache);
            });
          })
        );
      }
      return response;
    })
    .catch(function () {
      return caches
        .open(PAGE_CACHE)
        .then(function (cache) {
          return cache.match(url.pathname + url.search);
        })
        .then(function (kept) {
          return kept || caches.match(CONFIG.offlineUrl);
        });
    });
}

// Static files: the kept copy at once, refreshed in the background for the next visit.
function staticFile(event) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(event.request).then(function (kept) {
      var fresh = fetch(event.request)
        .then(function (response) {
          if (response.ok) {
            cache.put(event.request, response.clone());
          }
          return response;
        })
        .catch(function () {
          return kept;
        });
      if (kept) {
        event.waitUntil(fresh);
        return kept;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  // Reports, reviews, uploads: straight to the network, never answered by the worker.
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(staticFile(event));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  }
});
{% endautoescape %}
