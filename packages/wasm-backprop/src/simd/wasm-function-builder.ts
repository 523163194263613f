/**
 * A minimal WebAssembly function-body encoder: just the i32 / f32 / SIMD (f32x4) instructions
 * our kernels use, with structured loops, so kernels are written as small TypeScript functions
 * instead of shipping a compiled binary (and its toolchain).
 */
export type ValueType = 'i32' | 'f32' | 'v128';

const valueTypeCode: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

export function encodeValueType(type: ValueType): number {
  return valueTypeCode[type];
}

export function unsignedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

export function signedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** A local variable (parameters first), referred to by index. */
export type Local = number;

/** `[T, T, ...]` of length `Length`, so destructured locals need no undefined checks. */
type Tuple<T, Length extends number, Built extends T[] = []> = Built['length'] extends Length
  ? Built
  : Tuple<T, Length, [...Built, T]>;

export class WasmFunctionBuilder {
  readonly body: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(readonly params: readonly ValueType[]) {}

  /** Declares a new local of `type` and returns it. */
  local(type: ValueType): Local {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  /** Declares `count` new locals of `type`. */
  locals<Count extends number>(type: ValueType, count: Count): Tuple<Local, Count> {
    return Array.from({ length: count }, () => this.local(type)) as Tuple<Local, Count>;
  }

  get(local: Local): this {
    return this.emit(0x20, ...unsignedLeb128(local));
  }

  set(local: Local): this {
    return this.emit(0x21, ...unsignedLeb128(local));
  }

  i32(value: number): this {
    return this.emit(0x41, ...signedLeb128(value));
  }

  add(): this {
    return this.emit(0x6a);
  }

  sub(): this {
    return this.emit(0x6b);
  }

  mul(): this {
    return this.emit(0x6c);
  }

  and(): this {
    return this.emit(0x71);
  }

  /** i32 unsigned less-than: one compare also rejects negative indices (they wrap to huge). */
  ltU(): this {
    return this.emit(0x49);
  }

  geS(): this {
    return this.emit(0x4e);
  }

  f32Load(offset = 0): this {
    return this.emit(0x2a, 2, ...unsignedLeb128(offset));
  }

  f32Store(offset = 0): this {
    return this.emit(0x38, 2, ...unsignedLeb128(offset));
  }

  f32Add(): this {
    return this.emit(0x92);
  }

  f32Mul(): this {
    return this.emit(0x94);
  }

  /** v128.load; the alignment hint is 4 bytes since tensors are only float-aligned. */
  v128Load(offset = 0): this {
    return this.emit(0xfd, 0x00, 2, ...unsignedLeb128(offset));
  }

  v128Store(offset = 0): this {
    return this.emit(0xfd, 0x0b, 2, ...unsignedLeb128(offset));
  }

  /** v128.load32_splat: one float from memory into all four lanes. */
  v128LoadSplat(offset = 0): this {
    return this.emit(0xfd, 0x09, 2, ...unsignedLeb128(offset));
  }

  f32x4Add(): this {
    return this.emit(0xfd, 0xe4, 0x01);
  }

  f32x4Mul(): this {
    return this.emit(0xfd, 0xe6, 0x01);
  }

  /** `local = local + amount` for an i32 local. */
  increment(local: Local, amount: number | Local, amountIsLocal = false): this {
    this.get(local);
    if (amountIsLocal) this.get(amount);
    else this.i32(amount);
    return this.add().set(local);
  }

  /**
   * `for (counter = from; counter < to; counter += step) body()`, with `from`, `to` and `step`
   * constants or locals. The body must leave the stack balanced and branch nowhere outside.
   */
  forLoop(
    counter: Local,
    from: { constant: number } | { local: Local },
    to: { constant: number } | { local: Local },
    step: number,
    body: () => void,
  ): this {
    this.push(from).set(counter);
    this.emit(0x02, 0x40, 0x03, 0x40); // block, loop
    this.get(counter).push(to).geS().emit(0x0d, 1); // br_if to the block's end
    body();
    this.increment(counter, step);
    this.emit(0x0c, 0, 0x0b, 0x0b); // br to the loop head; end loop; end block
    return this;
  }

  /** `if (condition on the stack) body()`. */
  when(body: () => void): this {
    this.emit(0x04, 0x40);
    body();
    return this.emit(0x0b);
  }

  /** The function's code entry: locals, body, end. */
  encode(): number[] {
    const groups: number[] = [];
    let count = 0;
    for (let index = 0; index < this.localTypes.length; index++) {
      const type = this.localTypes[index]!;
      count += 1;
      if (this.localTypes[index + 1] !== type) {
        groups.push(...unsignedLeb128(count), encodeValueType(type));
        count = 0;
      }
    }
    const runs = countRuns(this.localTypes);
    const code = [...unsignedLeb128(runs), ...groups, ...this.body, 0x0b];
    return [...unsignedLeb128(code.length), ...code];
  }

  private push(operand: { constant: number } | { local: Local }): this {
    return 'local' in operand ? this.get(operand.local) : this.i32(operand.constant);
  }

  private emit(...bytes: number[]): this {
    this.body.push(...bytes);
    return this;
  }
}

function countRuns(types: readonly ValueType[]): number {
  let runs = 0;
  for (let index = 0; index < types.length; index++) {
    if (types[index + 1] !== types[index]) runs += 1;
  }
  return runs;
}
