import { assertEquals } from "./_assert.ts";
import {
  type ByteStream,
  encodeBody,
  encodeFrame,
  FRAME,
  FrameReader,
  joinFrames,
  MAX_FRAME_BYTES,
} from "../frames.ts";

/** A stream that hands out `bytes` in pieces of the given sizes, then ends. */
function pieces(bytes: Uint8Array, sizes: number[]): ByteStream {
  let offset = 0;
  return {
    read(buffer) {
      if (offset >= bytes.byteLength) return Promise.resolve(null);
      const size = Math.min(sizes.shift() ?? bytes.byteLength, buffer.byteLength);
      const piece = bytes.subarray(offset, offset + size);
      buffer.set(piece);
      offset += piece.byteLength;
      return Promise.resolve(piece.byteLength);
    },
    write: (b) => Promise.resolve(b.byteLength),
  };
}

async function readAll(reader: FrameReader): Promise<[number, string][]> {
  const frames: [number, string][] = [];
  for (let f = await reader.next(); f; f = await reader.next()) {
    frames.push([f.type, new TextDecoder().decode(f.payload)]);
  }
  return frames;
}

Deno.test("FrameReader reads frames split and joined across reads in any way", async () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const bytes = joinFrames([
    encodeFrame(FRAME.hello, text("token")),
    encodeFrame(FRAME.body, text("héllo")),
    encodeFrame(FRAME.end),
  ]);
  const expected = [
    [FRAME.hello, "token"],
    [FRAME.body, "héllo"],
    [FRAME.end, ""],
  ];
  assertEquals(await readAll(new FrameReader(pieces(bytes, []))), expected, "one read");
  const ones = Array.from({ length: bytes.byteLength }, () => 1);
  assertEquals(await readAll(new FrameReader(pieces(bytes, ones))), expected, "byte by byte");
  assertEquals(await readAll(new FrameReader(pieces(bytes, [3, 9, 2]))), expected, "uneven");
});

Deno.test(
  "FrameReader refuses a stream that ends inside a frame or announces a huge one",
  async () => {
    const cut = encodeFrame(FRAME.body, new Uint8Array(10)).subarray(0, 8);
    const huge = new Uint8Array([0xff, 0xff, 0xff, 0xff, FRAME.body]);
    const errors = [];
    for (const bytes of [cut, huge]) {
      errors.push(await new FrameReader(pieces(bytes, [])).next().catch((e) => e.message));
    }
    assertEquals(errors, [
      "The connection ended inside a frame.",
      "A frame of 4294967295 bytes is too large.",
    ]);
  },
);

Deno.test("encodeBody splits a chunk at MAX_FRAME_BYTES", () => {
  const frames = encodeBody(new Uint8Array(MAX_FRAME_BYTES * 2 + 1));
  assertEquals(
    frames.map((f) => f.byteLength - 5),
    [MAX_FRAME_BYTES, MAX_FRAME_BYTES, 1],
  );
});
