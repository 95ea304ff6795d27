// A raw DEFLATE decoder (RFC 1951), after Mark Adler's puff.c: the smallest
// correct inflate, for the bundled wasm builds (src/wasm/builds.js, deflated
// by scripts/wasm-modules.mjs) in engines whose DecompressionStream lacks
// 'deflate-raw' or who have none (before Chrome 103, Firefox 113, Safari
// 16.4); the loader prefers the native one, which is faster on a cold page.
// tests/inflate.test.js checks it against node:zlib on every block type.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
  4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
// The order in which a dynamic block sends its code-length code lengths.
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code from its code lengths: counts per length and symbols in code order. */
function huffman(lengths) {
  const count = new Uint16Array(16);
  for (const len of lengths) count[len]++;
  const offsets = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len] + count[len];
  const symbols = new Uint16Array(lengths.length);
  lengths.forEach((len, symbol) => { if (len) symbols[offsets[len]++] = symbol; });
  count[0] = 0;
  return { count, symbols };
}

const FIXED_LITLEN = huffman([...Array(288)].map((_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
const FIXED_DIST = huffman(Array(30).fill(5));

/** Inflates raw DEFLATE data into a Uint8Array of exactly `size` bytes. */
export function inflateRaw(input, size) {
  const out = new Uint8Array(size);
  let outPos = 0;
  let inPos = 0;
  let bitBuf = 0;
  let bitCount = 0;
  const fail = (why) => { throw new Error(`inflate: ${why}`); };

  const bits = (need) => {
    while (bitCount < need) {
      if (inPos >= input.length) fail('input ends early');
      bitBuf |= input[inPos++] << bitCount;
      bitCount += 8;
    }
    const value = bitBuf & ((1 << need) - 1);
    bitBuf >>>= need;
    bitCount -= need;
    return value;
  };
  // Canonical codes are read bit by bit, first code of each length first.
  const decode = ({ count, symbols }) => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      if (code - first < count[len]) return symbols[index + code - first];
      index += count[len];
      first = (first + count[len]) << 1;
      code <<= 1;
    }
    return fail('bad code');
  };
  const put = (byte) => { if (outPos >= size) fail('output longer than expected'); out[outPos++] = byte; };

  const codes = (litlen, dist) => {
    for (;;) {
      const symbol = decode(litlen);
      if (symbol < 256) put(symbol);
      else if (symbol === 256) return;
      else {
        const s = symbol - 257;
        if (s >= 29) fail('bad length symbol');
        const length = LENGTH_BASE[s] + bits(LENGTH_EXTRA[s]);
        const d = decode(dist);
        if (d >= 30) fail('bad distance symbol');
        const back = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        if (back > outPos) fail('distance too far back');
        for (let i = 0; i < length; i++) put(out[outPos - back]);
      }
    }
  };

  const dynamic = () => {
    const nlen = bits(5) + 257;
    const ndist = bits(5) + 1;
    const ncode = bits(4) + 4;
    const clens = new Array(19).fill(0);
    for (let i = 0; i < ncode; i++) clens[CLEN_ORDER[i]] = bits(3);
    const clen = huffman(clens);
    const lengths = [];
    while (lengths.length < nlen + ndist) {
      const symbol = decode(clen);
      if (symbol < 16) { lengths.push(symbol); continue; }
      let len = 0;
      let repeat;
      if (symbol === 16) {
        if (!lengths.length) fail('repeat with no first length');
        len = lengths[lengths.length - 1];
        repeat = 3 + bits(2);
      } else repeat = symbol === 17 ? 3 + bits(3) : 11 + bits(7);
      for (let i = 0; i < repeat; i++) lengths.push(len);
    }
    if (lengths.length > nlen + ndist) fail('too many lengths');
    codes(huffman(lengths.slice(0, nlen)), huffman(lengths.slice(nlen)));
  };

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) { // stored: byte-aligned LEN, NLEN, then LEN bytes
      bitBuf = 0;
      bitCount = 0;
      if (inPos + 4 > input.length) fail('input ends early');
      const len = input[inPos] | (input[inPos + 1] << 8);
      if ((len ^ 0xffff) !== (input[inPos + 2] | (input[inPos + 3] << 8))) fail('stored block length check');
      inPos += 4;
      if (inPos + len > input.length) fail('input ends early');
      for (let i = 0; i < len; i++) put(input[inPos++]);
    } else if (type === 1) codes(FIXED_LITLEN, FIXED_DIST);
    else if (type === 2) dynamic();
    else fail('bad block type');
  }
  if (outPos !== size) fail(`output is ${outPos} bytes, expected ${size}`);
  return out;
}
