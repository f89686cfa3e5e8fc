/**
 * Security headers on every answer, by helmet (a well-kept middleware, not hand-written header
 * lists). The Content-Security-Policy is the narrowest the three pages pass in Chromium
 * (test/e2e/security-headers.test.ts fails on any violation):
 *
 * - scripts, styles, fonts, images only from this origin (the pages are esbuild bundles and files:
 *   no inline script or `style=` attribute; uPlot and the HUD set styles through the CSSOM, which
 *   CSP allows);
 * - `connect-src 'self'`: playlists, segments, the API and socket.io (CSP3 `'self'` also matches
 *   the same host's `ws:`/`wss:`);
 * - `worker-src blob:` and `media-src blob: data:`: hls.js runs its transmuxer in a blob: worker,
 *   feeds the video element through a MediaSource blob: URL, and gives the subtitle `<track>` it
 *   creates the placeholder source `data:,WEBVTT` (media data cannot run script);
 * - `frame-ancestors 'self'` (and `X-Frame-Options: SAMEORIGIN`): only this server's own pages may
 *   frame its pages (`/watch/sim` shows the simulated viewers' players side by side in same-origin
 *   iframes), so no other site can click-jack a venue's dashboard;
 * - no `upgrade-insecure-requests`: venues serve plain http on a LAN, where upgrading every
 *   subresource to https would break the player.
 *
 * Plus `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (player URLs carry a token
 * in their query: it must never leave in a Referer header), and helmet's other defaults. Media is
 * `Cross-Origin-Resource-Policy: cross-origin` (the film and its playlists may be played by a
 * player on another origin, as HLS is); everything else keeps helmet's `same-origin`.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const MEDIA_PATH = /^\/(?:stories|sessions)\//;

export function securityHeaders(): RequestHandler {
  const h = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:', 'data:'],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    frameguard: { action: 'sameorigin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) => {
    h(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (MEDIA_PATH.test(req.path)) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    });
  };
}
