/**
 * RFC 6381 codec strings for the multivariant playlist's CODECS attribute, read from the real
 * bitstream rather than assumed from encoder flags.
 */
import type { FfmpegTools } from './ffmpeg-tools.js';
import { runTool } from './run-tool.js';

/**
 * `avc1.PPCCLL` from the first SPS NAL unit (type 7) of an Annex B stream: profile_idc,
 * constraint flags byte and level_idc as hex (RFC 6381 §3.3, ISO/IEC 14496-15).
 * Returns undefined when no SPS is found.
 * @example
 * avcCodecFromAnnexB(Buffer.from([0, 0, 1, 0x67, 0x42, 0xc0, 0x1e])); // 'avc1.42c01e'
 */
export function avcCodecFromAnnexB(data: Uint8Array): string | undefined {
  for (let i = 0; i + 6 < data.length; i += 1) {
    if (
      data[i] === 0 &&
      data[i + 1] === 0 &&
      data[i + 2] === 1 &&
      ((data[i + 3] ?? 0) & 0x1f) === 7
    ) {
      const hex = (b: number | undefined): string => (b ?? 0).toString(16).padStart(2, '0');
      return `avc1.${hex(data[i + 4])}${hex(data[i + 5])}${hex(data[i + 6])}`;
    }
  }
  return undefined;
}

/** AAC-LC is object type 2 of MPEG-4 audio (RFC 6381 §3.3: `mp4a.40.2`). */
export const AAC_LC_CODEC = 'mp4a.40.2';

/**
 * Extracts the first video access unit of a segment and reads its SPS.
 * @example
 * await probeAvcCodec(tools, 'seg-00000.ts'); // 'avc1.42c01e'
 */
export async function probeAvcCodec(tools: FfmpegTools, file: string): Promise<string> {
  const { stdout } = await runTool(tools.ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-frames:v',
    '1',
    '-f',
    'h264',
    'pipe:1',
  ]);
  const codec = avcCodecFromAnnexB(stdout);
  if (!codec) throw new Error(`${file}: no H.264 SPS found`);
  return codec;
}
