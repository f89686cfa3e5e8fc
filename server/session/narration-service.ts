/**
 * Owns every session's narration (one SessionNarration each) for one story and one narrator, and
 * relays their lines. Created by server/app.ts; sessions never know about it.
 */
import { EventEmitter } from 'node:events';
import type { Narrator } from '../../media/narration/narrator.js';
import type { NarrationEvent } from '../../contracts/wire.js';
import type { Session } from './session.js';
import { SessionNarration } from './session-narration.js';

export interface NarrationServiceEvents {
  line: [sessionId: string, cue: NarrationEvent];
}

export class NarrationService extends EventEmitter<NarrationServiceEvents> {
  private readonly narrator: Narrator;
  private readonly bySession = new Map<string, SessionNarration>();

  constructor(narrator: Narrator) {
    super();
    this.narrator = narrator;
  }

  attach(session: Session, locale?: string): SessionNarration {
    const existing = this.bySession.get(session.id);
    if (existing) return existing;
    const n = new SessionNarration({
      session,
      narrator: this.narrator,
      ...(locale ? { locale } : {}),
    });
    n.on('line', (cue) => this.emit('line', session.id, cue));
    this.bySession.set(session.id, n);
    return n;
  }

  /** Drops a session's narration (the session left memory). */
  detach(sessionId: string): void {
    this.bySession.get(sessionId)?.destroy();
    this.bySession.delete(sessionId);
  }

  get(sessionId: string): SessionNarration | undefined {
    return this.bySession.get(sessionId);
  }

  destroy(): void {
    for (const n of this.bySession.values()) n.destroy();
    this.bySession.clear();
    this.removeAllListeners();
  }
}
