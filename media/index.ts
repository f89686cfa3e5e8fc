/**
 * `frisson/media`: story packages (schema, validation, packaging), live playlists and narration.
 */
export * from '../contracts/story.js';
export { StorySchema, storyJsonSchema } from './story/story-schema.js';
export { validateStory, inspectStory } from './story/validate-story.js';
export { formatStoryProblem } from './story/story-problem.js';
export { loadPackagedStory } from './story/load-manifest.js';
export { packageStory, StoryInvalidError } from './packager/package-story.js';
export { generateDemoStory } from './demo/demo-story.js';
export { LivePlaylist, type PlaylistSegment } from './playlist/live-playlist.js';
export { StoryCursor, evaluateCondition, type StoryPosition } from './playlist/story-cursor.js';
export * from './narration/index.js';
