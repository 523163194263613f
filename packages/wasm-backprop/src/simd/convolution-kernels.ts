import { type Local, WasmFunctionBuilder } from './wasm-function-builder.js';

/**
 * The parameters every convolution kernel takes, in order (all i32; pointers and `*Bytes` are
 * byte offsets into the heap). `image` is x for the filter gradients and dx for the input
 * gradient; `filter` is the filter gradient or the filter.
 */
export const convolutionKernelParameters = [
  'image',
  'gradient',
  'filter',
  'batch',
  'inHeight',
  'inWidth',
  'outHeight',
  'outWidth',
  'filterHeight',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'padTop',
  'padLeft',
  'imagePixelBytes',
  'gradientPixelBytes',
  'tapBytes',
] as const;

type Parameter = (typeof convolutionKernelParameters)[number];
type Parameters = Record<Parameter, Local>;

/** Inner work for one (output pixel, filter tap) pair, given pointers to the three rows. */
type TapBody = (
  builder: WasmFunctionBuilder,
  parameters: Parameters,
  rows: { image: Local; gradient: Local; tap: Local },
) => void;

/**
 * Visits every (output pixel, filter tap) pair whose input pixel lies inside the image (taps on
 * padding are skipped), in output order, so `gradient` is read sequentially.
 */
function convolutionSweep(tapBody: TapBody): WasmFunctionBuilder {
  const builder = new WasmFunctionBuilder(convolutionKernelParameters.map(() => 'i32'));
  const parameters = Object.fromEntries(
    convolutionKernelParameters.map((name, index) => [name, index]),
  ) as Parameters;
  const [batchIndex, outY, outX, tapY, tapX, inY, inX] = builder.locals('i32', 7);
  const [imageBase, gradientRow, imageRow, tapRow, imageBytes] = builder.locals('i32', 5);
  const parameter = parameters;
  // imageBytes = inHeight * inWidth * imagePixelBytes
  builder
    .get(parameter.inHeight)
    .get(parameter.inWidth)
    .mul()
    .get(parameter.imagePixelBytes)
    .mul()
    .set(imageBytes);
  builder.get(parameter.gradient).set(gradientRow);
  builder.forLoop(batchIndex, { constant: 0 }, { local: parameter.batch }, 1, () => {
    builder.get(parameter.image).get(batchIndex).get(imageBytes).mul().add().set(imageBase);
    builder.forLoop(outY, { constant: 0 }, { local: parameter.outHeight }, 1, () => {
      builder.forLoop(outX, { constant: 0 }, { local: parameter.outWidth }, 1, () => {
        builder.forLoop(tapY, { constant: 0 }, { local: parameter.filterHeight }, 1, () => {
          builder
            .get(outY)
            .get(parameter.strideHeight)
            .mul()
            .get(tapY)
            .add()
            .get(parameter.padTop)
            .sub()
            .set(inY);
          builder.get(inY).get(parameter.inHeight).ltU();
          builder.when(() => {
            builder.forLoop(tapX, { constant: 0 }, { local: parameter.filterWidth }, 1, () => {
              builder
                .get(outX)
                .get(parameter.strideWidth)
                .mul()
                .get(tapX)
                .add()
                .get(parameter.padLeft)
                .sub()
                .set(inX);
              builder.get(inX).get(parameter.inWidth).ltU();
              builder.when(() => {
                // imageRow = imageBase + (inY * inWidth + inX) * imagePixelBytes
                builder.get(imageBase).get(inY).get(parameter.inWidth).mul().get(inX).add();
                builder.get(parameter.imagePixelBytes).mul().add().set(imageRow);
                // tapRow = filter + (tapY * filterWidth + tapX) * tapBytes
                builder
                  .get(parameter.filter)
                  .get(tapY)
                  .get(parameter.filterWidth)
                  .mul()
                  .get(tapX)
                  .add();
                builder.get(parameter.tapBytes).mul().add().set(tapRow);
                tapBody(builder, parameters, {
                  image: imageRow,
                  gradient: gradientRow,
                  tap: tapRow,
                });
              });
            });
          });
        });
        builder.increment(gradientRow, parameter.gradientPixelBytes, true);
      });
    });
  });
  return builder;
}

/**
 * `target[k] += left[k] * right[k]` for `k` over `byteLength` bytes: four floats at a time, then
 * a scalar tail.
 */
function multiplyAccumulate(
  builder: WasmFunctionBuilder,
  target: Local,
  left: Local,
  right: Local,
  byteLength: Local,
): void {
  const offset = builder.local('i32');
  const vectorBytes = builder.local('i32');
  builder.get(byteLength).i32(-16).and().set(vectorBytes);
  const address = (base: Local) => builder.get(base).get(offset).add();
  builder.forLoop(offset, { constant: 0 }, { local: vectorBytes }, 16, () => {
    address(target);
    address(target).v128Load();
    address(left).v128Load();
    address(right).v128Load();
    builder.f32x4Mul().f32x4Add().v128Store();
  });
  builder.forLoop(offset, { local: vectorBytes }, { local: byteLength }, 4, () => {
    address(target);
    address(target).f32Load();
    address(left).f32Load();
    address(right).f32Load();
    builder.f32Mul().f32Add().f32Store();
  });
}

/** dFilter[tap][c] += x[pixel][c] * dy[pixel][c] (channel multiplier 1). */
export function depthwiseFilterGradientKernel(): WasmFunctionBuilder {
  return convolutionSweep((builder, parameter, rows) => {
    multiplyAccumulate(builder, rows.tap, rows.image, rows.gradient, parameter.imagePixelBytes);
  });
}

/** dx[pixel][c] += dy[pixel][c] * filter[tap][c] (channel multiplier 1). */
export function depthwiseInputGradientKernel(): WasmFunctionBuilder {
  return convolutionSweep((builder, parameter, rows) => {
    multiplyAccumulate(builder, rows.image, rows.gradient, rows.tap, parameter.imagePixelBytes);
  });
}

/** dFilter[tap][ci][co] += x[pixel][ci] * dy[pixel][co]. */
export function convFilterGradientKernel(): WasmFunctionBuilder {
  return convolutionSweep((builder, parameter, rows) => {
    const inChannel = builder.local('i32');
    const filterRow = builder.local('i32');
    const offset = builder.local('i32');
    const vectorBytes = builder.local('i32');
    const scale = builder.local('v128');
    const scalar = builder.local('f32');
    builder.get(parameter.gradientPixelBytes).i32(-16).and().set(vectorBytes);
    builder.get(rows.tap).set(filterRow);
    builder.forLoop(inChannel, { constant: 0 }, { local: parameter.imagePixelBytes }, 4, () => {
      builder.get(rows.image).get(inChannel).add().f32Load().set(scalar);
      builder.get(rows.image).get(inChannel).add().v128LoadSplat().set(scale);
      const address = (base: Local) => builder.get(base).get(offset).add();
      builder.forLoop(offset, { constant: 0 }, { local: vectorBytes }, 16, () => {
        address(filterRow);
        address(filterRow).v128Load();
        builder.get(scale);
        address(rows.gradient).v128Load();
        builder.f32x4Mul().f32x4Add().v128Store();
      });
      builder.forLoop(
        offset,
        { local: vectorBytes },
        { local: parameter.gradientPixelBytes },
        4,
        () => {
          address(filterRow);
          address(filterRow).f32Load();
          builder.get(scalar);
          address(rows.gradient).f32Load();
          builder.f32Mul().f32Add().f32Store();
        },
      );
      builder.increment(filterRow, parameter.gradientPixelBytes, true);
    });
  });
}

/**
 * dFilter[ci][co] += sum_r x[r][ci] * dy[r][co], the gradient of a 1x1 stride-1 unpadded conv
 * (an outer product per pixel). Four pixels at a time, so each filter vector is loaded and stored
 * once per four multiply-adds; the rows past a multiple of four go one at a time.
 * Parameters: x, dy, dFilter pointers, rows (pixels), inBytes (Ci * 4), outBytes (Co * 4).
 */
export function pointwiseFilterGradientKernel(): WasmFunctionBuilder {
  const builder = new WasmFunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [x, dy, filter, rows, inBytes, outBytes] = [0, 1, 2, 3, 4, 5];
  const [row, inChannel, offset, vectorBytes, blockedRows, xRow, dyRow, filterRow] = builder.locals(
    'i32',
    8,
  );
  const [inStride2, inStride3, outStride2, outStride3] = builder.locals('i32', 4);
  const scales = builder.locals('v128', 4);
  builder.get(outBytes).i32(-16).and().set(vectorBytes);
  builder.get(rows).i32(-4).and().set(blockedRows);
  builder.get(inBytes).i32(2).mul().set(inStride2);
  builder.get(inBytes).i32(3).mul().set(inStride3);
  builder.get(outBytes).i32(2).mul().set(outStride2);
  builder.get(outBytes).i32(3).mul().set(outStride3);
  builder.get(x).set(xRow);
  builder.get(dy).set(dyRow);
  const inRowOffsets: (number | null)[] = [null, inBytes, inStride2, inStride3];
  const outRowOffsets: (number | null)[] = [null, outBytes, outStride2, outStride3];
  /** Pushes `base + rowOffset + counter`; a null rowOffset is the block's first pixel. */
  const address = (base: number, rowOffset: number | null, counter: number) => {
    builder.get(base);
    if (rowOffset !== null) builder.get(rowOffset).add();
    builder.get(counter).add();
  };
  const accumulateRows = (count: number) => {
    builder.get(filter).set(filterRow);
    builder.forLoop(inChannel, { constant: 0 }, { local: inBytes }, 4, () => {
      for (let pixel = 0; pixel < count; pixel++) {
        address(xRow, inRowOffsets[pixel] ?? null, inChannel);
        builder.v128LoadSplat().set(scales[pixel]!);
      }
      builder.forLoop(offset, { constant: 0 }, { local: vectorBytes }, 16, () => {
        address(filterRow, null, offset);
        address(filterRow, null, offset);
        builder.v128Load();
        for (let pixel = 0; pixel < count; pixel++) {
          builder.get(scales[pixel]!);
          address(dyRow, outRowOffsets[pixel] ?? null, offset);
          builder.v128Load().f32x4Mul().f32x4Add();
        }
        builder.v128Store();
      });
      builder.forLoop(offset, { local: vectorBytes }, { local: outBytes }, 4, () => {
        address(filterRow, null, offset);
        address(filterRow, null, offset);
        builder.f32Load();
        for (let pixel = 0; pixel < count; pixel++) {
          address(xRow, inRowOffsets[pixel] ?? null, inChannel);
          builder.f32Load();
          address(dyRow, outRowOffsets[pixel] ?? null, offset);
          builder.f32Load().f32Mul().f32Add();
        }
        builder.f32Store();
      });
      builder.increment(filterRow, outBytes, true);
    });
  };
  builder.forLoop(row, { constant: 0 }, { local: blockedRows }, 4, () => {
    accumulateRows(4);
    builder.increment(xRow, inStride2, true).increment(xRow, inStride2, true);
    builder.increment(dyRow, outStride2, true).increment(dyRow, outStride2, true);
  });
  builder.forLoop(row, { local: blockedRows }, { local: rows }, 1, () => {
    accumulateRows(1);
    builder.increment(xRow, inBytes, true);
    builder.increment(dyRow, outBytes, true);
  });
  return builder;
}
