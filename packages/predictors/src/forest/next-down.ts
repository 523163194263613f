const view = new DataView(new ArrayBuffer(8));

/** The largest float64 below `value`: turns a strict `x < s` split into our `x <= t` rule. */
export function nextDown(value: number): number {
  if (Number.isNaN(value) || value === Number.NEGATIVE_INFINITY) return value;
  if (value === 0) return -Number.MIN_VALUE;
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, value > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}
