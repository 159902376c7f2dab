/* Pendopo, staple-food prices: keeps the price-entry page usable on a poor connection.
   The page's own script (prices/entry.js) queues the prices on the device and sends them;
   this worker only answers the entry page and the static files from its cache when the
   network fails (network first, so a page seen online is always the server's latest). */
"use strict";
const CACHE = "pendopo-prices-v1";
const SCOPE = "{{ scope|escapejs }}";
const STATIC_URL = "{{ static_url|escapejs }}";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("pendopo-prices-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const entryPage = request.mode === "navigate" && url.pathname === SCOPE + "isi/";
  const asset = url.pathname.startsWith(STATIC_URL);
  if (!entryPage && !asset) return;
  event.respondWith(networkFirst(request, entryPage));
});

async function networkFirst(request, entryPage) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // A redirect (to the login page) or an error page is not worth keeping.
    if (response.ok && !response.redirected) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request)) || (entryPage ? await cache.match(request, { ignoreSearch: true }) : undefined);
    if (cached) return cached;
    throw error;
  }
}
