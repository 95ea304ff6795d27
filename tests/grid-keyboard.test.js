// The groups grid's keyboard (web/viz/groups-grid.js gridMoves): the arrows
// move in the directions of the picture, Home/End along the tensor's row.
// Expected targets are worked out by hand from how the page draws a shape:
// the last axis across (a row longer than 32 wraps into equal lines), the one
// before it down, slices of the axis before that side by side, and the
// leading axis (N of NCHW) in rows of slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridMoves, layout } from '../web/viz/groups-grid.js';

const size = (shape) => shape.reduce((a, b) => a * b, 1);
const moves = (shape) => gridMoves(shape, size(shape));

function check(shape, cases) {
  const move = moves(shape);
  for (const [from, key, want, ctrl = false] of cases) {
    assert.equal(move(from, key, ctrl), want, `${shape.join('x')}: ${ctrl ? 'Ctrl+' : ''}${key} from ${from}`);
  }
}

test('2x3x4: N=0 and N=1 are drawn side by side, so ArrowDown from the bottom row of N=0 stays', () => {
  check([2, 3, 4], [
    [8, 'ArrowDown', 8], [11, 'ArrowDown', 11], // [0,2,0], [0,2,3]: nothing below
    [20, 'ArrowDown', 20], // [1,2,0]
    [1, 'ArrowDown', 5], [5, 'ArrowUp', 1], [0, 'ArrowUp', 0],
    [3, 'ArrowRight', 12], [12, 'ArrowLeft', 3], // [0,0,3] -> [1,0,0]: N=1 is to the right
    [15, 'ArrowRight', 15], [0, 'ArrowLeft', 0],
  ]);
});

test('1x2x3x4: C=0 and C=1 side by side; 8x3x5x5: C across, N down', () => {
  check([1, 2, 3, 4], [[8, 'ArrowDown', 8], [11, 'ArrowRight', 20], [20, 'ArrowLeft', 11], [23, 'ArrowDown', 23]]);
  check([8, 3, 5, 5], [
    [20, 'ArrowDown', 75], // [0,0,4,0] -> [1,0,0,0], the slice drawn below
    [75, 'ArrowUp', 20],
    [24, 'ArrowRight', 45], // [0,0,4,4] -> [0,1,4,0]
    [74, 'ArrowRight', 74], // [0,2,4,4]: the right edge
    [7 * 75 + 20, 'ArrowDown', 7 * 75 + 20], // [7,0,4,0]: the bottom edge
    [599, 'ArrowDown', 599],
  ]);
});

test('a long row wraps into lines: ArrowDown goes to the next line, over an empty place to the row below', () => {
  check([512], [[0, 'ArrowDown', 32], [31, 'ArrowRight', 31], [32, 'ArrowUp', 0], [480, 'ArrowDown', 480]]);
  // 33 = 17 + 16: the second line has no 17th cell.
  assert.deepEqual([layout([33]).lines, layout([33]).wrap], [2, 17]);
  check([33], [[16, 'ArrowDown', 16], [17, 'ArrowUp', 0], [32, 'ArrowUp', 15]]);
  check([2, 33], [[16, 'ArrowDown', 33 + 16], [33 + 16, 'ArrowUp', 16], [17, 'ArrowDown', 33]]);
});

test('Home/End go to the ends of the row, Ctrl+Home/End to the ends of the tensor', () => {
  check([2, 3, 4], [[6, 'Home', 4], [6, 'End', 7], [6, 'Home', 0, true], [6, 'End', 23, true], [13, 'Home', 12]]);
  check([512], [[100, 'Home', 0], [100, 'End', 511], [5, 'End', 511, true]]);
  check([8, 3, 5, 5], [[77, 'Home', 75], [77, 'End', 79], [77, 'End', 599, true]]);
});

test('keys the grid does not handle return null; a tensor without elements has no moves and no negative sizes', () => {
  assert.equal(moves([2, 3, 4])(0, 'a'), null);
  assert.equal(moves([2, 3, 4])(0, 'Tab'), null);
  for (const shape of [[2, 0, 3], [0], [0, 4], [3, 0]]) {
    const L = layout(shape);
    assert.ok(L.width >= 0 && L.height >= 0, `${shape}: ${L.width}x${L.height}`);
    assert.doesNotThrow(() => gridMoves(shape, 0));
  }
});
