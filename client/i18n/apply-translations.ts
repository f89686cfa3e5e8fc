/** Applies the string tables of contracts/i18n.ts to a page. */
import { isStringKey, t, type Locale } from '../../contracts/i18n.js';

/** Fills every element with `data-i18n="key"` (text) in `root`. */
export function applyTranslations(root: ParentNode, locale: Locale): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    const key = el.dataset.i18n;
    if (key && isStringKey(key)) el.textContent = t(locale, key);
  });
}
