// The languages the page speaks, in one place: the Language select, the
// links' lang values, the string tables (i18n.js) and the explanations
// (explain.js) all follow this list, and web/test checks that each has a
// table for every code here.

/** LANGS are the language codes the page has tables for, English first. */
export const LANGS = Object.freeze(["en", "ja"]);
/** FALLBACK_LANG is what a reader gets when none of their languages has a table. */
export const FALLBACK_LANG = "en";
