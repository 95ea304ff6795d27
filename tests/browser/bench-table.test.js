// The live benchmark's table is drawn from stored results, so it can follow a
// language switch without measuring again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { t } from '../../web/lab/index.js';
import { setup, ready } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('benchTable redraws stored results in either language', async () => {
  const page = await env.open('/');
  await ready(page);
  const tables = await page.evaluate(async () => {
    const { runLiveBench, benchTable } = await import('/web/bench-live.js');
    const results = await runLiveBench([2, 3, 4], new Float32Array(24).map((_, i) => i % 5));
    const stored = JSON.parse(JSON.stringify(results)); // what the page keeps: plain data
    const read = (el) => ({
      head: [...el.querySelectorAll('th')].map((th) => th.textContent),
      cells: [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      note: el.querySelector('p').textContent,
    });
    return { en: read(benchTable(results, 'en')), zh: read(benchTable(stored, 'zh')), again: read(benchTable(stored, 'en')) };
  });
  assert.deepEqual(tables.en.head.slice(1), ['page.bench_col_impl', 'page.bench_col_median', 'page.bench_col_runs'].map((k) => t('en', k)));
  assert.deepEqual(tables.zh.head.slice(1), ['page.bench_col_impl', 'page.bench_col_median', 'page.bench_col_runs'].map((k) => t('zh', k)));
  assert.equal(tables.en.cells.length, 6); // LayerNorm and InstanceNorm, three implementations each
  assert.deepEqual(tables.zh.cells.map((r) => r[1]), ['page.bench_simd', 'page.bench_scalar', 'page.bench_js', 'page.bench_simd', 'page.bench_scalar', 'page.bench_js'].map((k) => t('zh', k)));
  // The measured numbers are the same in both languages, and redrawing changes nothing.
  assert.deepEqual(tables.zh.cells.map((r) => [r[0], r[2], r[3]]), tables.en.cells.map((r) => [r[0], r[2], r[3]]));
  assert.deepEqual(tables.again, tables.en);
  for (const [, , time, runs] of tables.en.cells) {
    assert.match(time, /^\d+(\.\d+)? µs$/, time);
    assert.match(runs, /^\d+$/, runs);
  }
  // Shapes as PyTorch writes them.
  assert.equal(tables.en.note, t('en', 'page.bench_note', { shape: '[2, 3, 4]' }));
  assert.equal(tables.zh.note, t('zh', 'page.bench_note', { shape: '[2, 3, 4]' }));
  assert.deepEqual(page.errors, []);
});
