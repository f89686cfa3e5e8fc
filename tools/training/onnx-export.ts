/**
 * Writes a dense MLP (as trained by tfjs) as an ONNX model with the `onnx-proto` protobuf
 * definitions: no Python, no converter. Each layer is one `Gemm` (Y = X·W + b, ONNX operator
 * spec, opset 13) followed by `Relu`/`Sigmoid` or nothing; weights are float32 initializers stored
 * as raw little-endian bytes (TensorProto.raw_data). The batch dimension is symbolic (`N`), so one
 * `run` can score every candidate of every session due in one tick.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type DenseActivation = 'relu' | 'sigmoid' | 'linear';

export interface DenseLayer {
  /** Row-major [inDim, outDim] kernel, as tfjs Dense stores it. */
  kernel: Float32Array;
  bias: Float32Array;
  inDim: number;
  outDim: number;
  activation: DenseActivation;
}

export interface OnnxExportOptions {
  inputName?: string;
  outputName?: string;
  /** Free-form metadata written into ModelProto.metadata_props. */
  metadata?: Record<string, string>;
  opset?: number;
}

/** ONNX IR version 8 (onnx 1.10, the version onnx-proto 8 compiles). */
const IR_VERSION = 8;

function floatTensor(
  name: string,
  dims: number[],
  data: Float32Array,
): onnxProto.onnx.ITensorProto {
  // Copy so the raw bytes are exactly this tensor (a Float32Array may view a larger buffer).
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes };
}

function valueInfo(name: string, width: number): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] },
      },
    },
  };
}

/**
 * Serialises the layers to ONNX model bytes.
 *
 * @example
 *   const bytes = exportMlpToOnnx(layers, { inputName: 'features', outputName: 'delta' });
 *   await writeFile('models/pacing.onnx', bytes);
 */
export function exportMlpToOnnx(layers: DenseLayer[], opts: OnnxExportOptions = {}): Uint8Array {
  if (layers.length === 0) throw new Error('exportMlpToOnnx: no layers');
  const inputName = opts.inputName ?? 'features';
  const outputName = opts.outputName ?? 'score';
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const inits: onnxProto.onnx.ITensorProto[] = [];
  let current = inputName;
  layers.forEach((l, i) => {
    if (l.kernel.length !== l.inDim * l.outDim || l.bias.length !== l.outDim) {
      throw new Error(`exportMlpToOnnx: layer ${i} shape mismatch`);
    }
    const prev = layers[i - 1];
    if (prev && prev.outDim !== l.inDim) throw new Error(`exportMlpToOnnx: layer ${i} input width`);
    const last = i === layers.length - 1;
    const w = `dense${i}.kernel`;
    const b = `dense${i}.bias`;
    inits.push(floatTensor(w, [l.inDim, l.outDim], l.kernel), floatTensor(b, [l.outDim], l.bias));
    const gemmOut = last && l.activation === 'linear' ? outputName : `dense${i}.gemm`;
    nodes.push({ name: `dense${i}`, opType: 'Gemm', input: [current, w, b], output: [gemmOut] });
    current = gemmOut;
    if (l.activation !== 'linear') {
      const actOut = last ? outputName : `dense${i}.${l.activation}`;
      const opType = l.activation === 'relu' ? 'Relu' : 'Sigmoid';
      nodes.push({ name: `dense${i}.${l.activation}`, opType, input: [current], output: [actOut] });
      current = actOut;
    }
  });
  const first = layers[0];
  const lastLayer = layers[layers.length - 1];
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'frisson',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: opts.opset ?? 13 }],
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'frisson-pacing',
      node: nodes,
      initializer: inits,
      input: [valueInfo(inputName, first?.inDim ?? 0)],
      output: [valueInfo(outputName, lastLayer?.outDim ?? 0)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
