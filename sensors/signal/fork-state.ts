/**
 * Deep copy of a plain state object graph, keeping prototypes, for `fork()` methods: what-if
 * branching of a simulator or signal processor ("what would this viewer's measured arousal be if the
 * next 16 s played level a then level b"), used to label director training data with
 * counterfactual outcomes. Copies arrays, typed arrays, Maps, Sets and class instances field by
 * field; functions are shared, so a class whose fields hold closures over `this` must re-bind them
 * in its own `fork()` (ViewerSignalProcessor does for its artifact filter's sink).
 */
export function forkState<T>(value: T, seen: Map<object, unknown> = new Map()): T {
  if (value === null || typeof value !== 'object') return value;
  const obj = value as object;
  const known = seen.get(obj);
  if (known !== undefined) return known as T;
  if (ArrayBuffer.isView(obj)) {
    const copy = (obj as unknown as Float64Array).slice();
    seen.set(obj, copy);
    return copy as unknown as T;
  }
  if (Array.isArray(obj)) {
    const copy: unknown[] = [];
    seen.set(obj, copy);
    for (const x of obj) copy.push(forkState(x as unknown, seen));
    return copy as T;
  }
  if (obj instanceof Map) {
    const copy = new Map<unknown, unknown>();
    seen.set(obj, copy);
    for (const [k, v] of obj) copy.set(k, forkState(v as unknown, seen));
    return copy as T;
  }
  if (obj instanceof Set) {
    const copy = new Set<unknown>();
    seen.set(obj, copy);
    for (const v of obj) copy.add(forkState(v as unknown, seen));
    return copy as T;
  }
  const copy = Object.create(Object.getPrototypeOf(obj) as object | null) as Record<
    string,
    unknown
  >;
  seen.set(obj, copy);
  for (const key of Object.keys(obj)) {
    copy[key] = forkState((obj as Record<string, unknown>)[key], seen);
  }
  return copy as T;
}
