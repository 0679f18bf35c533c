// Which language the page speaks on a first visit. A link's `lang` always
// wins (it is part of the permalink, so a shared link opens in the language
// it was shared in); without one, the reader's browser languages are tried
// in their order of preference, matching on the primary subtag ("ja-JP" is
// Japanese), and English is the fallback. Pure: tested in
// web/test/language.test.js.

import { splitQuery } from "./state.js";

import { FALLBACK_LANG } from "./langs.js";

export { FALLBACK_LANG };

/**
 * pickLang gives the first of the browser's preferred languages (as
 * navigator.languages lists them, e.g. ["ja-JP", "en-US"]) that one of
 * supported covers, or FALLBACK_LANG.
 */
export function pickLang(preferred, supported) {
  for (const tag of preferred || []) {
    if (typeof tag !== "string") continue;
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (supported.includes(primary)) return primary;
  }
  return FALLBACK_LANG;
}

/**
 * linkLang gives a link's `lang` when it names a supported language, else
 * null. Like parseQuery, it reads the first `lang` only.
 */
export function linkLang(query, supported) {
  const first = splitQuery(query).find(([k]) => k === "lang");
  return first && supported.includes(first[1]) ? first[1] : null;
}

/**
 * chooseLang is the page's rule: the link's language, else the browser's,
 * else English.
 */
export function chooseLang(query, preferred, supported) {
  return linkLang(query, supported) ?? pickLang(preferred, supported);
}
