import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../errors.js';
import { parseClothesJson } from './parse-clothes-json.js';

const encode = (text: string) => new TextEncoder().encode(text);
const item = (value: number) => Array.from({ length: 784 }, (_, i) => (i === 0 ? value : i % 256));

describe('parseClothesJson', () => {
  it('reads items of 784 values and records the empty ones', () => {
    const text = `{"data":[${JSON.stringify(item(7))}, [], ${JSON.stringify(item(255))}]}`;
    const parsed = parseClothesJson(encode(text), 'x.json');
    expect(parsed.count).toBe(3);
    expect(parsed.empty).toEqual([1]);
    expect(parsed.pixels.length).toBe(3 * 784);
    expect(Array.from(parsed.pixels.subarray(0, 3))).toEqual([7, 1, 2]);
    expect(parsed.pixels[784]).toBe(0);
    expect(parsed.pixels[2 * 784]).toBe(255);
    expect(parsed.pixels[3 * 784 - 1]).toBe(783 % 256);
  });

  it('grows past its first guess when a file holds many empty items', () => {
    const text = `{"data":[${Array.from({ length: 50 }, () => '[]').join(',')},${JSON.stringify(item(1))}]}`;
    const parsed = parseClothesJson(encode(text), 'x.json');
    expect(parsed.count).toBe(51);
    expect(parsed.pixels[50 * 784]).toBe(1);
  });

  it('rejects a value above 255, naming the file and item', () => {
    const text = `{"data":[${JSON.stringify(item(1))},${JSON.stringify(item(256))}]}`;
    expect(() => parseClothesJson(encode(text), 'clothes/3.json')).toThrow(DatasetFormatError);
    expect(() => parseClothesJson(encode(text), 'clothes/3.json')).toThrow(
      /clothes\/3\.json: item 1: pixel value 256/,
    );
  });

  it('rejects an item with the wrong number of values', () => {
    expect(() => parseClothesJson(encode('{"data":[[1,2,3]]}'), 'x.json')).toThrow(
      '3 values, expected 784',
    );
  });

  it('rejects a non-integer value', () => {
    expect(() => parseClothesJson(encode('{"data":[[0.5]]}'), 'x.json')).toThrow(
      "item 0: expected a digit, ',' or ']' at byte 11",
    );
  });

  it('rejects a file that ends inside the array', () => {
    expect(() => parseClothesJson(encode('{"data":[[]'), 'cut.json')).toThrow(
      'cut.json: item 1: unexpected end of file',
    );
  });

  it('rejects two items without a comma between them', () => {
    expect(() => parseClothesJson(encode('{"data":[[] []]}'), 'x.json')).toThrow(
      "expected ',' or ']' between items",
    );
  });
});
