// Web Push for theodoi's service worker (loaded by importScripts from /sw.js). Placeholder:
// the push notifications' handlers are written in their own change and replace this file.
