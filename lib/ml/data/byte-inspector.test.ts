import { describe, expect, it } from "vitest";
import { ByteInspector } from "./byte-inspector";
import { DatasetError } from "./errors";

function inspect(bytes: Uint8Array, chunkSize: number, maxBytes = 1 << 30): DatasetError | null {
  const inspector = new ByteInspector({ maxBytes });
  try {
    for (let o = 0; o < bytes.length; o += chunkSize) inspector.feed(bytes.subarray(o, o + chunkSize));
    inspector.finish();
    return null;
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
}

describe("ByteInspector", () => {
  const text = new TextEncoder().encode("name,city\r\nZoë,Zürich\r\nKenji,東京\nEmoji,😀\rDone,x\n");

  it.each([1, 2, 3, 5, 1000])("accepts valid UTF-8 split into %i-byte chunks", (size) => {
    expect(inspect(text, size)).toBeNull();
  });

  it("counts CRLF, LF and CR line endings as one line each, across chunk boundaries", () => {
    const bad = new Uint8Array([...text, 0xff]);
    for (const size of [1, 4, 1000]) expect(inspect(bad, size)?.line).toBe(6);
  });

  it.each([
    ["overlong encoding", [0xc0, 0xaf]],
    ["surrogate half", [0xed, 0xa0, 0x80]],
    ["beyond U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["stray continuation byte", [0x80]],
    ["lead byte followed by ASCII", [0xe2, 0x41, 0x41]],
  ])("rejects %s", (_, bytes) => {
    const error = inspect(new Uint8Array([0x61, 0x0a, ...bytes, 0x0a]), 1);
    expect(error?.code).toBe("INVALID_UTF8");
    expect(error?.line).toBe(2);
    expect(error?.byteOffset).toBe(2);
  });

  it("recognises a signature even when it arrives one byte at a time", () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
    ]);
    expect(inspect(png, 1)?.message).toMatch(/^This is a PNG image/);
  });

  it("counts bytes and stops past the limit", () => {
    const inspector = new ByteInspector({ maxBytes: 100 });
    inspector.feed(new Uint8Array(60).fill(0x61));
    expect(inspector.bytes).toBe(60);
    expect(() => inspector.feed(new Uint8Array(41).fill(0x61))).toThrow(/larger than the 100 bytes limit/);
  });
});
