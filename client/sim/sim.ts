/**
 * `/watch/sim`: every simulated viewer side by side, each one its own player page
 * (`/watch/sim/<n>?compact=1`) with its HUD, so their films can be seen diverging.
 */
import type { SimulatedViewerInfo } from '../../contracts/wire.js';
import { resolveLocale, t } from '../../contracts/i18n.js';
import { applyTranslations } from '../i18n/apply-translations.js';

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const locale = resolveLocale(params.get('lang') ?? navigator.language);
  document.documentElement.lang = locale;
  applyTranslations(document, locale);
  const status = document.getElementById('status');
  const grid = document.getElementById('grid');
  if (!status || !grid) return;
  const res = await fetch('/api/sim', { cache: 'no-store' });
  if (!res.ok) {
    status.textContent = t(locale, 'sim.none');
    return;
  }
  const viewers = (await res.json()) as SimulatedViewerInfo[];
  grid.replaceChildren(
    ...viewers.map((v) => {
      const frame = document.createElement('iframe');
      const q = new URLSearchParams({ compact: '1', lang: locale });
      frame.src = `/watch/sim/${v.index}?${q.toString()}`;
      frame.title = t(locale, 'sim.viewer', { n: v.index });
      frame.allow = 'autoplay';
      return frame;
    }),
  );
}

void main();
