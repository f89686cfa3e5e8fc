/**
 * The skeleton written by `frisson story new`: a two-scene story with every section present.
 */

/** story.yaml text for a new package. */
export function storyTemplate(title: string): string {
  return `# Editors: media/schema/story.schema.json in the Frisson repository is this file's JSON Schema.
# A Frisson story package. See docs/stories.md. Check it with \`frisson story validate .\`
title: ${JSON.stringify(title)}
locales: [en]
contentRating: PG-13
defaultMaxIntensity: 1
levels:
  - { id: calm, intensity: 0 }
  - { id: tense, intensity: 0.5 }
  - { id: scare, intensity: 1 }
variables:
  brave: { initial: false }
start: opening
scenes:
  - id: opening
    title: Opening
    variants:
      calm: media/opening-calm.mp4
      tense: media/opening-tense.mp4
      scare: media/opening-scare.mp4
    next: { branch: choice }
  - id: door
    title: The door
    set: { brave: true }
    variants:
      calm: media/door-calm.mp4
      tense: media/door-tense.mp4
      scare: media/door-scare.mp4
    next: { ending: end }
  - id: window
    title: The window
    variants:
      calm: media/window-calm.mp4
      tense: media/window-tense.mp4
      scare: media/window-scare.mp4
    next: { ending: end }
branches:
  - id: choice
    prompt: Door or window?
    default: window
    candidates:
      - { scene: door, label: Open the door, intensity: 0.8, mood: dread }
      - { scene: window, label: Look out of the window, intensity: 0.3, mood: unease }
endings:
  - { id: end, title: The end }
targetCurve:
  - { t: 0, arousal: 0.2 }
  - { t: 60, arousal: 0.8 }
`;
}
