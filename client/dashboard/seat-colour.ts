/**
 * Seat colour on the operator's map: hue from green (calm, arousal 0) through yellow to red
 * (arousal 1); a seat without contact (or not yet calibrated) is drawn grey with a dashed outline.
 */
export const NO_CONTACT_COLOUR = 'rgb(58, 58, 64)';

export function arousalColour(arousal: number): string {
  const a = Math.min(1, Math.max(0, arousal));
  const hue = Math.round(120 * (1 - a));
  return `hsl(${hue}, 80%, 50%)`;
}
