/**
 * The vote on a show's screen (player opened with `?show=<id>`, the show's `screenUrl`): joins
 * `/screens` with the show token and shows the audience the open vote — prompt, options with their
 * counts, a countdown, the default explained — then the result for a few seconds.
 */
import { io, type Socket } from 'socket.io-client';
import type { ScreenClientEvents, ScreenServerEvents, VoteState } from '../../contracts/wire.js';
import { t, type Locale } from '../../contracts/i18n.js';

type ScreenSocket = Socket<ScreenServerEvents, ScreenClientEvents>;

/** How long the result stays on screen, ms. */
const RESULT_MS = 6000;

export class ScreenVote {
  private readonly socket: ScreenSocket;
  private readonly timer: ReturnType<typeof setInterval>;
  private vote: VoteState | null = null;
  /** Server clock minus local clock, ms. */
  private offset = 0;
  private hideAt = 0;

  constructor(
    showId: string,
    token: string,
    private readonly locale: Locale,
  ) {
    this.socket = io('/screens', { transports: ['websocket'], auth: { showId, token } });
    this.socket.on('vote', (v) => this.onVote(v));
    this.timer = setInterval(() => this.tick(), 250);
  }

  /** The last vote seen (diagnostics for tests). */
  get current(): VoteState | null {
    return this.vote;
  }

  private el(id: string): HTMLElement {
    const e = document.getElementById(id);
    if (!e) throw new Error(`missing #${id}`);
    return e;
  }

  private onVote(v: VoteState): void {
    this.vote = v;
    this.offset = v.now - Date.now();
    const L = this.locale;
    const winner = v.result?.winner;
    this.el('vote-prompt').textContent = winner
      ? t(L, 'screen.chosen', {
          winner: v.options.find((o) => o.scene === winner)?.title ?? winner,
        })
      : t(L, 'screen.vote', { prompt: v.prompt ?? v.branch });
    this.el('vote-choices').replaceChildren(
      ...v.options.map((o) => {
        const li = document.createElement('li');
        li.textContent = `${o.title}${o.scene === v.defaultOption ? ' *' : ''} · ${t(L, 'screen.votes', { n: o.votes })}`;
        if (o.scene === winner) li.className = 'winner';
        return li;
      }),
    );
    this.el('vote-note').textContent = winner ? '' : t(L, 'screen.defaultNote');
    this.hideAt = winner ? Date.now() + RESULT_MS : 0;
    this.el('vote-overlay').hidden = false;
    this.tick();
  }

  private tick(): void {
    const v = this.vote;
    if (!v) return;
    if (this.hideAt && Date.now() > this.hideAt) {
      this.el('vote-overlay').hidden = true;
      return;
    }
    const left = Math.max(0, Math.ceil((v.closesAt - (Date.now() + this.offset)) / 1000));
    this.el('vote-clock').textContent = v.result
      ? ''
      : t(this.locale, 'screen.closesIn', { s: left });
  }

  destroy(): void {
    clearInterval(this.timer);
    this.socket.close();
  }
}
