import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import type { ViewerSignal } from '../../contracts/heart.js';

/** One signal processor per viewer (the sensors stage's implementation). */
export function createViewerSignal(opts: { calibrationS: number }): ViewerSignal {
  return new ViewerSignalProcessor({ calibrationS: opts.calibrationS });
}
