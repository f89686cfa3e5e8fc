/** Narration: narrators, the subtitle rendition and speech (docs/narration.md). */
export * from './narrator.js';
export * from './narration-grammar.js';
export * from './check-narration-grammar.js';
export * from './grammar-narrator.js';
export * from './llm-narrator.js';
export * from './create-narrator.js';
export * from './build-narration-request.js';
export * from './content-filter.js';
export * from './webvtt.js';
export * from './narration-track.js';
export * from './narration-scheduler.js';
export * from './espeak.js';
