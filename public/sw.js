/*
 * Parley's service worker (SPEC section 3, bad networks). Plain JavaScript, no build step.
 *
 * It caches ONLY the offline capture shell: a static page, its script and its style sheet, which hold
 * no session data. It never caches a session's pages, loader data (?_data=), socket.io or anything
 * else: those go to the network untouched (no respondWith).
 *
 * For page loads of a session's live room, capture screen and simple notes page it tries the network
 * first; only when the network fails does it answer with the cached shell, which keeps notes in the
 * outbox on the device (IndexedDB) until the connection returns.
 *
 * Bump SHELL_VERSION whenever a file of the shell changes: the new worker caches the new files and
 * deletes the old cache when it activates.
 */
"use strict";

const SHELL_VERSION = 1;
const CACHE_PREFIX = "parley-shell-";
const SHELL_CACHE = `${CACHE_PREFIX}v${SHELL_VERSION}`;
const SHELL_PAGE = "/offline/capture.html";
const SHELL_FILES = [SHELL_PAGE, "/offline/capture.js", "/offline/capture.css"];

/** The pages for which the shell stands in when offline: /sessions/<id>/live, /capture and /notes. */
const CAPTURE_PAGE = /^\/sessions\/[^/]+\/(live|capture|notes)\/?$/i;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // Revalidated, never from the HTTP cache: the shell must match this worker's version.
      .then((cache) => cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: "no-cache", credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The shell's own files (what the shell page loads): from this version's cache.
  if (request.mode !== "navigate" && SHELL_FILES.includes(url.pathname) && !url.search) {
    event.respondWith(caches.match(url.pathname, { cacheName: SHELL_CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode !== "navigate" || !CAPTURE_PAGE.test(url.pathname) || url.search.includes("_data")) return;
  event.respondWith(
    fetch(request).catch(async () => {
      const shell = await caches.match(SHELL_PAGE, { cacheName: SHELL_CACHE });
      if (shell) return shell;
      // No shell cached (first visit never completed): let the browser show its own offline page.
      return Response.error();
    }),
  );
});
