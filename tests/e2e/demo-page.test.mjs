// The demo page as a page: phone width without horizontal overflow; its CSP, no inline script or
// style, nothing loaded from elsewhere, every control labelled and reachable by keyboard. The
// browser, the server and the helpers are harness.mjs's.
//
//   node --test tests/e2e/demo-page.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useDemo, openDemo, filter, RESULTS, REPO_ROOT, T } from './harness.mjs';

useDemo();

test('phone width (375 px): no horizontal overflow, worklist and customer panel usable', T, async () => {
  const d = await openDemo({ viewport: { width: 375, height: 812 } });
  const { page } = d;
  try {
    const overflow = () => page.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]);
    let [doc, body, w] = await overflow();
    assert.ok(doc <= w && body <= w, `page ${doc}/${body} px wide in a ${w} px viewport`);
    // Every visible element fits (a table may scroll inside its own wrapper).
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.table-wrap, dialog, .sections') && e.getClientRects().length)
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => `${e.tagName}#${e.id}.${e.className}`)
        .slice(0, 5),
    );
    assert.deepEqual(wide, []);
    await page.screenshot({ path: path.join(RESULTS, 'demo-phone.png') });
    await filter(page, { search: 'C0217' });
    await page.click('#wl-body tr[data-customer=C0217] button.link');
    await page.waitForSelector('#cust-body .timeline');
    [doc, body, w] = await overflow();
    assert.ok(doc <= w && body <= w, `with the customer panel: ${doc}/${body} px in ${w} px`);
    await page.screenshot({ path: path.join(RESULTS, 'demo-phone-customer.png') });
    await d.check();
  } finally {
    await d.close();
  }
});

test('the page declares its CSP and loads nothing from elsewhere; controls are labelled and reachable by keyboard', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent.trim())))
        .map((e) => e.id || e.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(unlabelled, []);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'file-input');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'load-sample');
    const csp = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /worker-src 'self'/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval'(?!)/);
    const html = readFileSync(path.join(REPO_ROOT, 'www/index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
    assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL');
    const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(resources.length > 0);
    for (const r of resources) assert.ok(r.startsWith(`${new URL(page.url()).origin}/`), r);
    await d.check();
  } finally {
    await d.close();
  }
});
