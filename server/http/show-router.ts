/**
 * Venue shows over HTTP. Operator routes need the operator key (`X-Frisson-Operator-Key`); screen
 * and seat routes need the show's or the seat's join token. See docs/api.md and docs/venues.md.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { OperatorKey } from '../auth/operator-key.js';
import type { TokenAccess } from '../auth/token-access.js';
import { FrissonError } from '../../contracts/errors.js';
import type { ShowManager } from '../show/show-manager.js';
import type { Show } from '../show/show.js';
import { parseBody } from './parse-body.js';
import { requestOperatorKey, requestToken } from './request-auth.js';

const seatId = z.string().min(1).max(64);

export const CreateShowSchema = z
  .object({
    title: z.string().min(1).max(200).optional(),
    /** Seat ids (e.g. "A1"); or `seatCount` to number them S001, S002, … */
    seats: z.array(seatId).max(5000).optional(),
    seatCount: z.number().int().min(0).max(5000).optional(),
    maxIntensity: z.number().min(0).max(1).optional(),
    /** The venue collected the audience's consent to store seat samples. */
    consent: z.boolean().optional(),
    /** Vote window length, seconds (default: each branch's `voteSeconds`). */
    voteSeconds: z.number().positive().max(600).optional(),
    /** Advance the screen on the wall clock before its player reports (headless shows). */
    autoAdvance: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.seats === undefined || b.seatCount === undefined, {
    message: 'give seats or seatCount, not both',
    path: ['seatCount'],
  });

export const ShowVoteSchema = z
  .object({ seat: seatId, option: z.string().min(1).max(128) })
  .strict();

export const ShowControlSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('force'), scene: z.string().min(1).max(128) }).strict(),
  z.object({ action: z.literal('pause') }).strict(),
  z.object({ action: z.literal('resume') }).strict(),
  z.object({ action: z.literal('cap'), maxIntensity: z.number().min(0).max(1) }).strict(),
  z.object({ action: z.literal('end') }).strict(),
]);

export interface ShowRouterOptions {
  shows: ShowManager;
  access: TokenAccess;
  operatorKey: OperatorKey;
  publicUrl: () => string;
  onVote?: () => void;
}

const json = express.json({ limit: '256kb' });

export function createShowRouter(opts: ShowRouterOptions): express.Router {
  const router = express.Router();
  const wrap =
    (fn: (req: Request, res: Response) => Promise<void> | void) =>
    (req: Request, res: Response, next: NextFunction): void => {
      Promise.resolve()
        .then(() => fn(req, res))
        .catch(next);
    };
  const showOf = (req: Request): Show => opts.shows.require(String(req.params.id ?? ''));
  /** The operator key, or a show token of this show. */
  const operatorOrShow = (req: Request, showId: string): void => {
    const key = requestOperatorKey(req);
    if (key) return opts.operatorKey.check(key, req.ip);
    opts.access.forShow(requestToken(req), showId);
  };

  router.post(
    '/api/shows',
    json,
    wrap(async (req, res) => {
      opts.operatorKey.check(requestOperatorKey(req), req.ip);
      const body = parseBody(CreateShowSchema, req.body);
      const seats = body.seats ?? [];
      if (body.seatCount) {
        for (let i = 1; i <= body.seatCount; i++) seats.push(`S${String(i).padStart(3, '0')}`);
      }
      const created = await opts.shows.create({ ...body, seats });
      const { show, showToken } = created;
      const base = opts.publicUrl();
      const screen = show.screenSession;
      if (!screen) throw new FrissonError('FRISSON_ERR_INTERNAL');
      const t = encodeURIComponent(showToken);
      res.status(201).json({
        id: show.id,
        screenSessionId: screen.id,
        token: showToken,
        // `show=` makes the player a screen: no HUD, the audience's vote with its countdown.
        screenUrl: `${base}/?session=${screen.id}&token=${t}&show=${show.id}`,
        playlistUrl: `${base}/sessions/${screen.id}/playlist.m3u8?token=${t}`,
        dashboardUrl: `${base}/dashboard/?show=${show.id}`,
        reportUrl: `${base}/report/?show=${show.id}&token=${t}`,
        seats: created.seatTokens.map((s) => ({
          seat: s.seat,
          token: s.token,
          voteUrl: `${base}/api/shows/${show.id}/votes`,
        })),
      });
    }),
  );

  // Credentials are checked before the show is looked up: an unknown id and another show's id
  // answer alike (401/403) to whoever holds no key, so show ids cannot be probed.
  router.get(
    '/api/shows/:id',
    wrap((req, res) => {
      operatorOrShow(req, String(req.params.id ?? ''));
      const show = showOf(req);
      res.json(show.snapshot());
    }),
  );

  router.get(
    '/api/shows/:id/vote',
    wrap((req, res) => {
      opts.access.forSeat(requestToken(req), String(req.params.id ?? ''));
      const show = showOf(req);
      res.json({ vote: show.currentVote() });
    }),
  );

  router.post(
    '/api/shows/:id/votes',
    json,
    wrap((req, res) => {
      const body = parseBody(ShowVoteSchema, req.body);
      opts.access.forSeat(requestToken(req), String(req.params.id ?? ''), body.seat);
      const show = showOf(req);
      const vote = opts.shows.castVote(show.id, body.seat, body.option);
      opts.onVote?.();
      res.status(202).json({ ok: true, vote });
    }),
  );

  router.post(
    '/api/shows/:id/control',
    json,
    wrap((req, res) => {
      opts.operatorKey.check(requestOperatorKey(req), req.ip);
      const show = showOf(req);
      const body = parseBody(ShowControlSchema, req.body);
      switch (body.action) {
        case 'force':
          show.forceScene(body.scene);
          break;
        case 'pause':
          show.pause();
          break;
        case 'resume':
          show.resume();
          break;
        case 'cap':
          show.setIntensityCap(body.maxIntensity);
          break;
        case 'end':
          show.end();
          break;
      }
      res.json({ ok: true, status: show.status() });
    }),
  );

  router.post(
    '/api/shows/:id/seats/:seat/token',
    wrap((req, res) => {
      opts.operatorKey.check(requestOperatorKey(req), req.ip);
      const show = showOf(req);
      const seat = parseBody(seatId, req.params.seat);
      res.status(201).json({ seat, token: opts.shows.seatToken(show.id, seat) });
    }),
  );

  return router;
}
