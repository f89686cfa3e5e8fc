/**
 * Speaks narration lines with the Web Speech API at their media time, in a voice for their locale,
 * ducking the film's audio while the narrator speaks. Subtitles come separately, from the HLS
 * subtitle rendition (WebVTT) that hls.js renders.
 */
import type { NarrationEvent } from '../../contracts/wire.js';

const DUCKED_VOLUME = 0.3;

export class NarrationVoice {
  private readonly video: HTMLVideoElement;
  private readonly pending: NarrationEvent[] = [];
  private enabled = false;
  private restoreVolume = 1;
  private readonly onTime = (): void => this.flush();

  constructor(video: HTMLVideoElement) {
    this.video = video;
    video.addEventListener('timeupdate', this.onTime);
  }

  get available(): boolean {
    return typeof window.speechSynthesis !== 'undefined';
  }

  setEnabled(on: boolean): void {
    this.enabled = on && this.available;
    if (!this.enabled) window.speechSynthesis?.cancel();
  }

  /** Queues a line; it is spoken when playback reaches `start`. */
  add(cue: NarrationEvent): void {
    this.pending.push(cue);
    if (this.pending.length > 32) this.pending.shift();
  }

  private flush(): void {
    const t = this.video.currentTime;
    while (this.pending.length > 0 && (this.pending[0]?.start ?? Infinity) <= t) {
      const cue = this.pending.shift();
      // Lines whose time has long passed (a seek, a late join) are dropped, not read out late.
      if (cue && this.enabled && t - cue.end < 1) this.speak(cue);
    }
  }

  private speak(cue: NarrationEvent): void {
    const u = new SpeechSynthesisUtterance(cue.text);
    u.lang = cue.locale;
    const voice = window.speechSynthesis
      .getVoices()
      .find((v) => v.lang.toLowerCase().startsWith(cue.locale.toLowerCase().slice(0, 2)));
    if (voice) u.voice = voice;
    u.onstart = () => {
      this.restoreVolume = this.video.volume;
      this.video.volume = Math.min(this.video.volume, DUCKED_VOLUME);
    };
    const restore = (): void => {
      this.video.volume = this.restoreVolume;
    };
    u.onend = restore;
    u.onerror = restore;
    window.speechSynthesis.speak(u);
  }

  destroy(): void {
    this.video.removeEventListener('timeupdate', this.onTime);
    window.speechSynthesis?.cancel();
  }
}
