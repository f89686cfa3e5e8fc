/**
 * The apparitions of the film as small RGBA sprites painted once by geq: a tall figure with arms a
 * little too long (a near-black silhouette, soft-edged), and a pale face with dark eye sockets.
 * The picture graph scales and places them on a scene's plate.
 */

export const APPARITIONS = ['figure', 'face'] as const;
export type Apparition = (typeof APPARITIONS)[number];

/** Sprite size in pixels (the picture graph scales it to the placement's height). */
export const SPRITE_SIZE: Record<Apparition, { width: number; height: number }> = {
  figure: { width: 200, height: 560 },
  face: { width: 240, height: 320 },
};

/**
 * Registers: 0 x (in sprite heights, 0 = centre, wavering so the outline is never clean), 1 y
 * (0 = top, 1 = bottom), 2 inside. A head tilted and a little too small, narrow sloping shoulders,
 * arms hanging to the knees, legs that fade out.
 */
function figureShape(): string {
  return [
    'st(1,Y/H)',
    'st(0,(X/W-0.5)*W/H+0.006*sin(ld(1)*173)*sin(ld(1)*61)-0.05*max(0,0.16-ld(1)))',
    'st(2,lt(pow((ld(0)-0.012)/0.043,2)+pow((ld(1)-0.085)/0.06,2),1))',
    'st(2,max(ld(2),lt(abs(ld(0)-0.004),0.019)*between(ld(1),0.13,0.19)))',
    'st(2,max(ld(2),between(ld(1),0.175,0.62)*lt(abs(ld(0)),0.088-0.03*clip((ld(1)-0.2)/0.3,0,1)-0.04*pow(max(0,0.215-ld(1))/0.04,2))))',
    'st(2,max(ld(2),between(ld(1),0.2,0.74)*lt(abs(abs(ld(0))-0.093-0.012*(ld(1)-0.2)),0.017-0.006*(ld(1)-0.2))))',
    'st(2,max(ld(2),between(ld(1),0.6,1)*lt(abs(abs(ld(0))-0.03),0.026-0.01*(ld(1)-0.6))))',
  ].join(';');
}

/** The figure's pale, dirty tone: lit from above, falling into darkness, two dark hollows for eyes. */
function figureLum(): string {
  return (
    `${figureShape()};` +
    '(130-122*pow(ld(1),0.7))*(0.7+0.3*max(0,1-abs(ld(0))/0.1))' +
    '*(1-0.6*exp(-(pow((abs(ld(0)-0.012)-0.016)/0.009,2)+pow((ld(1)-0.082)/0.01,2))))'
  );
}

/**
 * Registers: 0 x, 1 y (face-relative, −1…1), 2 radius², 3 shade. A long pale face lit from below,
 * deep soft eye sockets, a hollow under the cheekbones and a gaping mouth, dissolving into dark.
 */
function faceExpr(part: 'lum' | 'alpha'): string {
  const base = [
    'st(0,(X/W-0.5)*2+0.03*(Y/H-0.5))',
    'st(1,(Y/H-0.5)*2)',
    'st(2,pow(ld(0)/0.72,2)+pow((ld(1)+0.05)/0.97,2))',
  ];
  if (part === 'alpha') return [...base, 'clip((1-ld(2))*2.2,0,1)*255'].join(';');
  return [
    ...base,
    'st(3,0.82-0.45*ld(2)+0.18*ld(1))',
    'st(3,ld(3)*(1-0.95*exp(-(pow((abs(ld(0))-0.3)/0.15,2)+pow((ld(1)+0.17)/0.13,2)))))',
    'st(3,ld(3)*(1-0.35*exp(-(pow((abs(ld(0))-0.42)/0.12,2)+pow((ld(1)-0.25)/0.2,2)))))',
    'st(3,ld(3)*(1-0.95*exp(-(pow(ld(0)/0.1,2)+pow((ld(1)-0.58)/0.22,2)))))',
    'st(3,ld(3)*(1-0.3*exp(-(pow(ld(0)/0.05,2)+pow((ld(1)-0.1)/0.12,2)))))',
    'clip(ld(3)*235,0,255)',
  ].join(';');
}

/**
 * ffmpeg arguments that paint an apparition sprite (PNG with alpha).
 * @example spriteArgs({ apparition: 'figure', output: 'figure.png' })
 */
export function spriteArgs(input: { apparition: Apparition; output: string }): string[] {
  const { width, height } = SPRITE_SIZE[input.apparition];
  // The figure is pale, so it reads against the darkness of the sets.
  const geq =
    input.apparition === 'figure'
      ? `geq=r='${figureLum()}':g='${figureLum()}*0.97':b='${figureLum()}*0.95':a='${figureShape()};ld(2)*255'`
      : `geq=r='${faceExpr('lum')}':g='${faceExpr('lum')}*0.97':b='${faceExpr('lum')}*0.93':a='${faceExpr('alpha')}'`;
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-filter_threads',
    '1',
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${width}x${height}:d=1,format=rgba`,
    '-vf',
    // The blur softens the silhouette's edges (alpha) as a slightly defocused lens would.
    `${geq},boxblur=luma_radius=2:luma_power=1:alpha_radius=4:alpha_power=2,format=rgba`,
    '-frames:v',
    '1',
    input.output,
  ];
}
