// What the page's verdict, stats tables and feature table claim, as a reader
// sees them: the A-B difference beside each output's error against a float64
// computation (an exact 0 said as exact), running statistics instead of group
// statistics for BatchNorm in eval, and after a training call, and RMSNorm's
// weight without a bias. Screenshots go to tests/artifacts/numbers-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, ready, setup } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const featureCells = (page, key) => page.locator(`table.features tr[data-feature="${key}"] td`).allTextContents();

test('an exact 0 is "exactly equal", with each output\'s float64 error beside it (en, zh)', async () => {
  const page = await env.open('/web/?shape=2x3x4&seed=1&values=random&layers=layer_norm,instance_norm,rms_norm&lang=en');
  await ready(page);
  const [same, diff] = await page.locator('.verdict').all();
  assert.equal(await same.getAttribute('data-max-abs-diff'), '0');
  assert.equal(await same.getAttribute('data-exact'), 'true');
  const headline = await same.locator('.headline').textContent();
  assert.match(headline, /^Identical: the largest difference is 0\. The outputs are exactly equal, bit for bit\. For scale, float32 rounding on this input: each output is within \d(\.\d+)?e-0[78] of a float64 computation of the same layer\.$/);
  assert.doesNotMatch(headline, /noise/);
  for (const attr of ['data-error64-a', 'data-error64-b']) {
    const e = Number(await same.getAttribute(attr));
    assert.ok(e > 0 && e < 1e-6, `${attr} = ${e}`);
  }
  assert.match(await diff.locator('.headline').textContent(), /^Different: the largest difference is 0\.\d+\. For scale, float32 rounding/);
  // The feature table: one float64 error per layer, the RMSNorm weight without a bias.
  const errors = (await featureCells(page, 'table.error64')).map(Number);
  assert.equal(errors.length, 3);
  assert.ok(errors.every((e) => e > 0 && e < 1e-6), errors.join());
  const params = await featureCells(page, 'table.params');
  assert.match(params[0], /^weight and bias, each \[4\]: /);
  assert.equal(params[1], 'none');
  assert.match(params[2], /^weight \[4\], no bias: /);
  assert.deepEqual(await featureCells(page, 'page.feat_axes'), Array(3).fill('(N, C, L) = [2, 3, 4]'));
  const rmsReasons = await diff.locator('li').allTextContents();
  assert.ok(rmsReasons.includes('C (RMSNorm) has a weight of shape [4] and no bias.'), rmsReasons.join('\n'));
  await page.locator('#verdict-body').screenshot({ path: `${ARTIFACTS}numbers-verdict-en.png` });

  await page.goto(`${env.base}/web/?shape=2x3x4&seed=1&values=random&layers=layer_norm,instance_norm&lang=zh`);
  await ready(page);
  assert.match(await page.locator('.verdict .headline').first().textContent(), /^一致：最大差值为 0。两个输出完全相等，逐位相同。.*float64/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('BatchNorm: eval shows the running statistics it uses; training shows them after the call', async () => {
  const page = await env.open('/web/?shape=4x3x5&seed=2&values=random&layers=batch_norm:eval,batch_norm&lang=en');
  await ready(page);
  const reduced = await featureCells(page, 'table.reduced');
  assert.deepEqual(reduced, ['nothing in this input: each channel uses its running statistics', 'N, L (dim=(0, 2))']);
  assert.deepEqual(await featureCells(page, 'table.groups'), ['3 channels, each with its own running statistics', '3']);
  const reasons = await page.locator('.verdict li').allTextContents();
  assert.ok(!reasons.some((r) => /normalize the same groups of elements together/.test(r)), reasons.join('\n'));
  // A: no group statistics table, the running statistics it used (a fresh module's).
  assert.equal(await page.locator('table.stats-A').count(), 0);
  const used = page.locator('table.running-A');
  assert.deepEqual(await used.locator('td.running-mean').allTextContents(), ['0', '0', '0']);
  assert.deepEqual(await used.locator('td.running-var').allTextContents(), ['1', '1', '1']);
  // B: its batch statistics, then running_mean = 0.1 * batch mean and
  // running_var = 0.9 + 0.1 * unbiased batch var, num_batches_tracked 1.
  const mean = (await page.locator('table.stats-B td.mean').allTextContents()).map(Number);
  const biased = (await page.locator('table.stats-B td.var').allTextContents()).map(Number);
  const after = page.locator('table.running-B');
  const runMean = (await after.locator('td.running-mean').allTextContents()).map(Number);
  const runVar = (await after.locator('td.running-var').allTextContents()).map(Number);
  const callVar = (await after.locator('td.call-var').allTextContents()).map(Number);
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(runMean[c] - 0.1 * mean[c]) < 1e-6, `running_mean[${c}]`);
    assert.ok(Math.abs(callVar[c] - (biased[c] * 20) / 19) < 1e-5, `unbiased var[${c}]`);
    assert.ok(Math.abs(runVar[c] - (0.9 + 0.1 * callVar[c])) < 1e-5, `running_var[${c}]`);
  }
  const notes = await page.locator('.running-notes p').allTextContents();
  assert.ok(notes.includes('num_batches_tracked: 0 before, 1 after (BatchNorm counts its training calls).'), notes.join('\n'));
  assert.ok(notes.some((n) => /^In eval mode the module normalizes channel c with these/.test(n)));
  await page.locator('#tables-body').screenshot({ path: `${ARTIFACTS}numbers-running-stats.png` });
  assert.deepEqual(page.errors, []);
  await page.close();
});
