// The extension's adapters: the generic one (one badge per marked row, flag counts, tooltips,
// re-renders and data changes) and the CRM one under a strict CSP (no WebAssembly in the page),
// with its popup and the fitted model reused on a small page. The browser with the extension,
// the server and the helpers are extension-harness.mjs's.
//
//   node --test tests/e2e/extension-adapters.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { crmEnvelope } from '../../extension/tools/pages-data.mjs';
import { useExtension, launch, openFlags, genericEnvelope, settled, assertMatches, stats, engines, tabOf, tooltipOf, server, tend, RESULTS, TIMEOUT } from './extension-harness.mjs';

useExtension();

test('generic adapter: one badge per marked row, flag counts, healthy rows, re-render, data change', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    const ROW = '[data-tend-customer]';
    const rows = await settled(page, ROW, 'data-tend-customer');
    assert.equal(rows.length, env.data.customers.length);
    assertMatches(rows, report);

    // Healthy customers carry no flags; the neglected ones do.
    const healthy = report.customers.filter((c) => openFlags(c) === 0);
    assert.ok(healthy.length >= 3, 'the page has healthy customers');
    for (const c of healthy) assert.equal(rows.find((r) => r.id === c.id).badges[0].flags, '0');
    assert.ok(rows.some((r) => Number(r.badges[0].flags) > 0), 'some customers are flagged');
    // A snoozed flag does not count.
    const snoozed = report.customers.find((c) => c.neglect.some((f) => f.snoozed));
    assert.ok(snoozed, 'the page has a snoozed flag');
    assert.equal(rows.find((r) => r.id === snoozed.id).badges[0].flags, String(openFlags(snoozed)));

    // The tooltip: top reasons and the first action, as text.
    const flagged = report.customers.find((c) => openFlags(c) > 0 && c.risk.reasons.length);
    const tip = await tooltipOf(page, `[data-tend-customer="${flagged.id}"]`);
    assert.ok(tip.includes(flagged.risk.reasons[0].text), `tooltip shows the top reason: ${tip}`);
    assert.ok(tip.includes(flagged.actions[0].message), `tooltip shows the first action: ${tip}`);
    await page.mouse.move(0, 0);

    // A name with markup is text, in the page and in the tooltip.
    const markup = report.customers.find((c) => /</.test(c.name ?? ''));
    assert.ok(markup, 'the page has a customer whose name holds markup');
    const markupTip = await tooltipOf(page, `[data-tend-customer="${markup.id}"]`);
    assert.ok(markupTip.includes(markup.name), 'the name is shown literally');
    assert.equal(await page.title(), 'Key accounts · generic Tend adapter test page');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(RESULTS, 'extension-generic.png'), fullPage: true });

    // Re-render: new row elements, the same data: badges come back, nothing is scored again.
    const before = await stats(ext.sw);
    assert.ok(before.loads >= 1);
    await page.evaluate(() => {
      window.__firstRow = document.querySelector('[data-tend-customer]');
    });
    await page.click('#rerender');
    await page.waitForFunction(() => document.querySelector('[data-tend-customer]') !== window.__firstRow);
    const rerendered = await settled(page, ROW, 'data-tend-customer');
    assertMatches(rerendered, report);
    assert.equal((await stats(ext.sw)).loads, before.loads, 'a re-render must not load again');

    // A data change (the missed call returned) is scored once more.
    const target = await page.getAttribute('#callback', 'data-customer');
    await page.click('#callback');
    const changedEnv = JSON.parse(await page.textContent('script[data-tend-export]'));
    const changed = tend.analyze(changedEnv);
    const want = String(openFlags(changed.customers.find((c) => c.id === target)));
    assert.notEqual(want, rows.find((r) => r.id === target).badges[0].flags, 'the change closes a flag');
    const after = await settled(page, ROW, 'data-tend-customer', (rs) => rs.find((r) => r.id === target).badges[0].flags === want);
    assertMatches(after, changed);
    assert.equal((await stats(ext.sw)).loads, before.loads + 1, 'one load per data change');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('CRM adapter under a strict CSP (no wasm in the page), re-renders, popup, model reuse', async () => {
  const crm = crmEnvelope();
  const report = tend.analyze(crm.data, { asOf: crm.asOf });
  assert.equal(report.models.source, 'fitted', 'the CRM page holds enough customers to fit a model');
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    const violations = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${server.url}/www/crm.html`);

    // The page forbids WebAssembly: its CSP has no 'wasm-unsafe-eval'.
    const wasm = await page.evaluate(async () => {
      const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
      try {
        await WebAssembly.instantiate(bytes);
        return 'instantiated';
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    });
    assert.match(wasm, /CompileError.*(unsafe-eval|Content Security Policy|wasm-unsafe-eval)/i, wasm);

    const ROW = 'tr[data-customer-id]';
    const rows = await settled(page, ROW, 'data-customer-id');
    assert.equal(rows.length, crm.data.customers.length);
    assertMatches(rows, report);
    const first = await stats(ext.sw);
    assert.equal(first.loads, 1);
    assert.equal(first.last.adapter, 'harbor-crm');
    assert.equal(first.last.models, 'fitted');

    // Sorting rebuilds every row; Refresh clones the rows (badge hosts copied without their
    // shadow roots): still exactly one live badge per row, and no new scoring.
    await page.click('th[data-sort="revenue"]');
    assertMatches(await settled(page, ROW, 'data-customer-id'), report);
    await page.click('#crm-refresh');
    await page.waitForTimeout(200);
    assertMatches(await settled(page, ROW, 'data-customer-id'), report);
    assert.equal((await stats(ext.sw)).loads, 1, 'sorting and refreshing do not load again');

    // The popup lists the customers at high or critical risk with their first action.
    const atRisk = report.customers.filter((c) => c.risk.level === 'high' || c.risk.level === 'critical');
    assert.ok(atRisk.length > 0);
    const tab = await tabOf(ext, page);
    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 380, height: 640 });
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    const listed = await popup.$$eval('#list li', (lis) =>
      lis.map((li) => ({ id: li.dataset.customer, risk: li.dataset.risk, action: li.querySelector('.action').textContent, name: li.querySelector('.name').textContent })),
    );
    assert.deepEqual(listed.map((l) => l.id).sort(), atRisk.map((c) => c.id).sort());
    for (const l of listed) {
      const c = atRisk.find((k) => k.id === l.id);
      assert.equal(l.risk, c.risk.level);
      assert.equal(l.action, c.actions[0]?.message ?? 'No open action');
      assert.equal(l.name, c.name ?? c.id);
    }
    await popup.screenshot({ path: path.join(RESULTS, 'extension-popup.png'), fullPage: true });
    await popup.close();
    assert.equal((await stats(ext.sw)).loads, 1, 'the popup is answered from the page\'s engine');

    // The tooltip of the customer most at risk; then a screenshot of the CRM page with its
    // badges and the tooltip of the top row (sorted by open tickets) open.
    const worst = [...atRisk].sort((a, b) => b.risk.score - a.risk.score)[0];
    const worstTip = await tooltipOf(page, `tr[data-customer-id="${worst.id}"]`);
    assert.ok(worstTip.includes(worst.risk.reasons[0].text) && worstTip.includes(worst.actions[0].message), worstTip);
    await page.mouse.move(0, 0);
    await page.click('th[data-sort="tickets"]');
    await settled(page, ROW, 'data-customer-id');
    await page.evaluate(() => window.scrollTo(0, 0));
    const topId = await page.getAttribute(ROW, 'data-customer-id');
    const top = report.customers.find((c) => c.id === topId);
    const topTip = await tooltipOf(page, `tr[data-customer-id="${topId}"]`);
    assert.ok(topTip.includes(top.actions[0].message), topTip);
    await page.screenshot({ path: path.join(RESULTS, 'extension-crm.png') });
    await page.mouse.move(0, 0);

    // Nothing on the page was blocked by its CSP (the badges use adopted style sheets).
    assert.deepEqual(violations, []);

    // The model fitted on the CRM page is stored, and a small page is scored with it.
    const key = `model:${server.url}`;
    const stored = { model: (await ext.sw.evaluate((k) => chrome.storage.local.get(k), key))[key] };
    const fitted = tend.Tend.load(crm.data, { asOf: crm.asOf });
    assert.deepEqual(stored.model?.models, fitted.models(), 'the stored model is the CRM engine\'s models()');
    fitted.free();
    assert.equal(stored.model.origin, server.url, 'stored as the model of the page\'s origin');
    assert.equal(stored.model.customers, report.models.buying.customers);
    const env = await genericEnvelope();
    const small = tend.analyze(env);
    assert.equal(small.models.source, 'none', 'the generic page alone is too small to fit a model');
    const withModel = tend.analyze(env, { models: stored.model.models });
    assert.equal(withModel.models.source, 'options');
    const generic = await ext.context.newPage();
    await generic.goto(`${server.url}/www/generic.html`);
    const grows = await settled(generic, '[data-tend-customer]', 'data-tend-customer');
    assertMatches(grows, withModel);
    const last = (await stats(ext.sw)).last;
    assert.equal(last.adapter, 'generic');
    assert.equal(last.models, 'options');
    // The site's own model: no host named.
    const own = (await engines(ext.sw)).find((e) => e.url === generic.url());
    assert.deepEqual({ own: own.storedFrom.own, host: own.storedFrom.host }, { own: true, host: null });
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});
