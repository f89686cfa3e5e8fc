/**
 * Reads back the dense layers of an MLP written by `exportMlpToOnnx` (a chain of Gemm + Relu/
 * Sigmoid nodes with float32 raw-data initializers), so tests and the benchmark can rebuild the
 * same network in tfjs and compare it with onnxruntime.
 */
import onnxProto from 'onnx-proto';
import type { DenseActivation, DenseLayer } from './onnx-export.js';

const { onnx } = onnxProto;

function floats(t: onnxProto.onnx.ITensorProto): Float32Array {
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(t.floatData ?? []);
}

/**
 * @example
 *   const layers = readMlpFromOnnx(await readFile('models/pacing.onnx'));
 */
export function readMlpFromOnnx(bytes: Uint8Array): DenseLayer[] {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('ONNX model has no graph');
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const layers: DenseLayer[] = [];
  for (const node of graph.node ?? []) {
    if (node.opType === 'Gemm') {
      const [, wName, bName] = node.input ?? [];
      const w = inits.get(wName ?? '');
      const b = inits.get(bName ?? '');
      if (!w || !b) throw new Error(`Gemm ${node.name ?? ''} lacks initializers`);
      const [inDim, outDim] = (w.dims ?? []).map(Number);
      layers.push({
        kernel: floats(w),
        bias: floats(b),
        inDim: inDim ?? 0,
        outDim: outDim ?? 0,
        activation: 'linear',
      });
    } else if (node.opType === 'Relu' || node.opType === 'Sigmoid') {
      const last = layers[layers.length - 1];
      if (!last) throw new Error(`${node.opType} before any Gemm`);
      last.activation = node.opType.toLowerCase() as DenseActivation;
    } else {
      throw new Error(`unsupported ONNX op ${node.opType ?? '?'}`);
    }
  }
  return layers;
}
