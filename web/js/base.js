// Where the API is, found from this module's own address rather than
// written in as "/api/v1": behind a proxy Basin may live below a path
// prefix (https://example.org/basin/), with the page at <prefix>/ and this
// file at <prefix>/js/base.js, so the API is at <prefix>/api/v1 whether
// the proxy strips the prefix or forwards it (-prefix).

/**
 * apiBase gives the API's path for a module at moduleURL in the page's js/
 * directory. Outside a web page (node tests, file: URLs) it is the
 * server's root path, /api/v1.
 */
export function apiBase(moduleURL) {
  const u = new URL("../api/v1", moduleURL);
  return u.protocol === "http:" || u.protocol === "https:" ? u.pathname : "/api/v1";
}

/** API is the path prefix of every endpoint, prefix included. */
export const API = apiBase(import.meta.url);
