// The offline service worker, written by hand. At install it caches the app shell: the list of
// built files that the Vite config writes into this file. Navigations go to the network first
// and fall back to the cached page; other files of the app come from the cache first.

interface SwEvent {
  waitUntil(promise: Promise<unknown>): void;
}
interface SwFetchEvent extends SwEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface SwScope {
  registration: { scope: string };
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: "install" | "activate", listener: (event: SwEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: SwFetchEvent) => void): void;
}

const sw = self as unknown as SwScope;

// Replaced at build time by the JSON of {version, assets} (paths relative to this file).
const MANIFEST = JSON.parse("__RUNLOG_SW_MANIFEST__") as { version: string; assets: string[] };
const PREFIX = "runlog-app-";
const CACHE = `${PREFIX}${MANIFEST.version}`;
const scope = sw.registration.scope;
const shell = new URL("./index.html", scope).href;

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(MANIFEST.assets.map((path) => new URL(path, scope).href)))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope)) return;
  if (request.mode === "navigate") event.respondWith(networkFirst(request));
  else event.respondWith(cacheFirst(request));
});

/** The page from the network (kept as the shell), or the cached shell when that fails. */
async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok && (response.headers.get("content-type") ?? "").includes("text/html")) {
      const copy = response.clone();
      void caches.open(CACHE).then((cache) => cache.put(shell, copy));
    }
    return response;
  } catch (error) {
    const cached = (await caches.match(shell)) ?? (await caches.match(request));
    if (cached) return cached;
    throw error;
  }
}

/** A file of the app from the cache, else from the network (and cached for next time). */
async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    void caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}
