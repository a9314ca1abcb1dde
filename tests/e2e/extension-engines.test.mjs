// The service worker's engines: one per page (two tabs of the same page get their own answers),
// update messages applied without a reload and replayed when the engine is gone (cleared, or the
// worker stopped), engines freed on navigation and tab close and at most maxEngines live. The
// browser with the extension, the server and the helpers are extension-harness.mjs's.
//
//   node --test tests/e2e/extension-engines.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crmEnvelope } from '../../extension/tools/pages-data.mjs';
import { useExtension, launch, openFlags, genericEnvelope, settled, assertMatches, stats, engines, tabOf, tooltipOf, until, server, tend, GENERIC_ROW, TIMEOUT } from './extension-harness.mjs';

useExtension();

const firstAction = (c) => c.actions[0]?.message ?? 'Nothing: no open action.';

// The contact that returns the missed call of `id` (what the page's "Log the call-back" adds).
function callBack(env, id) {
  const at = new Date(Date.parse(env.asOf) - 3600e3).toISOString();
  return { id: `CON-CB-${id}`, customerId: id, at, direction: 'outbound', channel: 'call', status: 'answered' };
}

test('an engine per page: two tabs of the same page get their own answers', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const ext = await launch();
  try {
    const a = await ext.context.newPage();
    const b = await ext.context.newPage();
    await a.goto(`${server.url}/www/generic.html`);
    await b.goto(`${server.url}/www/generic.html`);
    assertMatches(await settled(a, GENERIC_ROW, 'data-tend-customer'), report);
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), report);
    let live = await engines(ext.sw);
    assert.equal(live.length, 2, JSON.stringify(live));
    assert.notEqual(live[0].tab, live[1].tab, 'one engine per tab');
    assert.notEqual(live[0].token, live[1].token);
    assert.equal((await stats(ext.sw)).loads, 2);

    // The data changes in tab B only: B's engine is replaced, A's answers stay as they were.
    const target = await b.getAttribute('#callback', 'data-customer');
    await b.click('#callback');
    const changed = tend.analyze(JSON.parse(await b.textContent('script[data-tend-export]')));
    const before = report.customers.find((c) => c.id === target);
    const after = changed.customers.find((c) => c.id === target);
    assert.notEqual(openFlags(after), openFlags(before), 'the change closes a flag');
    const brows = await settled(b, GENERIC_ROW, 'data-tend-customer', (rs) => rs.find((r) => r.id === target).badges[0].flags === String(openFlags(after)));
    assertMatches(brows, changed);
    const s = await stats(ext.sw);
    assert.equal(s.loads, 3);
    assert.equal(s.freedBy.replaced, 1, 'B\'s old engine was freed');
    live = await engines(ext.sw);
    assert.equal(live.length, 2);

    assertMatches(await settled(a, GENERIC_ROW, 'data-tend-customer'), report);
    const tipA = await tooltipOf(a, `[data-tend-customer="${target}"]`);
    assert.ok(tipA.includes(firstAction(before)), `A's tooltip is A's: ${tipA}`);
    await a.mouse.move(0, 0);
    const tipB = await tooltipOf(b, `[data-tend-customer="${target}"]`);
    assert.ok(tipB.includes(firstAction(after)), `B's tooltip is B's: ${tipB}`);
    assert.ok(tipB.includes(`${openFlags(after)} open flag`), tipB);
    await b.mouse.move(0, 0);

    // Each tab's popup lists its own page's customers at risk.
    const tabA = await tabOf(ext, a);
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabA}`);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    const listed = await popup.$$eval('#list li', (lis) => lis.map((li) => li.dataset.customer));
    const atRisk = report.customers.filter((c) => c.risk.level === 'high' || c.risk.level === 'critical');
    assert.deepEqual(listed.sort(), atRisk.map((c) => c.id).sort());
    assert.match(await popup.textContent('#status'), new RegExp(`^${report.customers.length} customers scored`));
    assert.equal((await stats(ext.sw)).loads, 3, 'tooltips and the popup are answered from the engines');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('an update message changes badges without a reload; updates are replayed when the engine is gone', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    assertMatches(await settled(page, GENERIC_ROW, 'data-tend-customer'), report);
    const before = await stats(ext.sw);
    assert.equal(before.loads, 1);

    // The page rewrites its export and posts the same change (in the same task).
    const target = await page.getAttribute('#callback', 'data-customer');
    const contact = callBack(env, target);
    await page.evaluate((row) => {
      const script = document.querySelector('script[data-tend-export]');
      const e = JSON.parse(script.textContent);
      e.data.contacts.push(row);
      script.textContent = JSON.stringify(e);
      window.postMessage({ type: 'tend:update', upsert: { contacts: [row] } }, '*');
    }, contact);
    const changedEnv = JSON.parse(await page.textContent('script[data-tend-export]'));
    const changed = tend.analyze(changedEnv);
    const want = String(openFlags(changed.customers.find((c) => c.id === target)));
    assert.notEqual(want, String(openFlags(report.customers.find((c) => c.id === target))));
    assertMatches(await settled(page, GENERIC_ROW, 'data-tend-customer', (rs) => rs.find((r) => r.id === target).badges[0].flags === want), changed);
    let s = await stats(ext.sw);
    assert.equal(s.updates, before.updates + 1, 'applied as an update');
    assert.equal(s.loads, before.loads, 'no second full load');
    await page.waitForTimeout(300); // the debounced pass after the export's rewrite
    assert.equal((await stats(ext.sw)).loads, before.loads, 'the rewritten export is not loaded again');

    // A removal the export does not reflect: the customer's badge goes grey.
    const gone = changed.customers.find((c) => c.id !== target && openFlags(c) > 0).id;
    const engine = tend.Tend.load(changedEnv);
    engine.update({ remove: { customers: [gone] } });
    const removed = engine.report();
    engine.free();
    await page.evaluate((id) => window.postMessage({ type: 'tend:update', remove: { customers: [id] } }, '*'), gone);
    const isGone = (rs) => rs.find((r) => r.id === gone).badges[0].band === 'none';
    let rows = await settled(page, GENERIC_ROW, 'data-tend-customer', isGone);
    assert.equal(rows.find((r) => r.id === gone).badges[0].risk, 'none');
    assertMatches(rows.filter((r) => r.id !== gone), removed);
    // Malformed update messages are ignored.
    await page.evaluate(() => window.postMessage({ type: 'tend:update', upsert: [1, 2] }, '*'));
    s = await stats(ext.sw);
    assert.equal(s.updates, before.updates + 2);
    assert.equal(s.loads, before.loads);
    assert.equal((await engines(ext.sw))[0].updates, 2);

    // The worker loses the engine (as when Chrome stops an idle worker): the next request loads
    // the export again and replays the removal the export does not hold.
    await ext.sw.evaluate(() => globalThis.tendEngines.clear());
    assert.equal((await engines(ext.sw)).length, 0);
    const other = removed.customers.find((c) => c.id !== target && c.actions.length);
    const tip = await tooltipOf(page, `[data-tend-customer="${other.id}"]`);
    assert.ok(tip.includes(firstAction(other)), tip);
    await page.mouse.move(0, 0);
    s = await stats(ext.sw);
    assert.equal(s.loads, before.loads + 1);
    assert.equal(s.last.replayed, 1, 'the removal was replayed');
    await page.click('#rerender');
    rows = await settled(page, GENERIC_ROW, 'data-tend-customer', isGone);
    assertMatches(rows.filter((r) => r.id !== gone), removed);

    // Chrome stops the worker (as it does an idle one, here through the DevTools protocol from
    // an extension page): every engine and counter goes; the next tooltip starts it again, and
    // the page is loaded with the removal replayed.
    const extPage = await ext.context.newPage();
    await extPage.goto(`chrome-extension://${ext.id}/options.html`);
    const cdp = await ext.context.newCDPSession(extPage);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await extPage.close();
    await page.bringToFront();
    await page.waitForTimeout(500);
    const third = removed.customers.find((c) => c.id !== target && c.id !== other.id && c.actions.length);
    const tip3 = await tooltipOf(page, `[data-tend-customer="${third.id}"]`);
    assert.ok(tip3.includes(firstAction(third)), tip3);
    await page.mouse.move(0, 0);
    const sw = ext.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${ext.id}/`));
    s = await stats(sw);
    assert.equal(s.loads, 1, `a new worker, which loaded the page once: ${JSON.stringify(s)}`);
    assert.equal(s.last.replayed, 1);
    assert.deepEqual(await engines(sw).then((l) => l.map((e) => e.updates)), [1]);
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('engines are freed on navigation and tab close, and at most maxEngines live', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const crm = crmEnvelope();
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    await settled(page, GENERIC_ROW, 'data-tend-customer');
    const tab = await tabOf(ext, page);

    // Another page in the same tab: the first page's engine is freed, the new one is the tab's only.
    await page.goto(`${server.url}/www/crm.html`);
    await settled(page, 'tr[data-customer-id]', 'data-customer-id');
    let live = await until(() => engines(ext.sw), (l) => l.length === 1, 'one engine after navigating');
    assert.equal(live[0].tab, tab);
    assert.equal(live[0].url, page.url());
    assert.equal(live[0].customers, crm.data.customers.length);
    let s = await stats(ext.sw);
    assert.equal(s.freed, 1);
    assert.equal(s.engines, 1);

    // Back to the first page (from the back/forward cache or loaded anew): it is answered again.
    await page.goBack();
    await settled(page, GENERIC_ROW, 'data-tend-customer');
    const flagged = report.customers.find((c) => c.actions.length);
    assert.ok((await tooltipOf(page, `[data-tend-customer="${flagged.id}"]`)).includes(firstAction(flagged)));
    await page.mouse.move(0, 0);
    await until(() => engines(ext.sw), (l) => l.length === 1 && l[0].url === page.url(), 'the first page\'s engine only');

    // A page without records: nothing lives for the tab.
    await page.goto('about:blank');
    await until(() => engines(ext.sw), (l) => l.length === 0, 'no engine after leaving the page');

    // At most maxEngines: the least recently used is freed, and answers again when asked.
    await ext.sw.evaluate(() => {
      globalThis.tendConfig.maxEngines = 2;
    });
    const pages = [];
    const tabs = [];
    for (let i = 0; i < 3; i++) {
      const p = await ext.context.newPage();
      await p.goto(`${server.url}/www/generic.html`);
      assertMatches(await settled(p, GENERIC_ROW, 'data-tend-customer'), report);
      pages.push(p);
      // The same page in every tab: the new tab is the one the worker did not know.
      live = await engines(ext.sw);
      const fresh = live.filter((e) => !tabs.includes(e.tab));
      assert.equal(fresh.length, 1, JSON.stringify(live));
      tabs.push(fresh[0].tab);
    }
    s = await until(() => stats(ext.sw), (x) => x.engines === 2, 'two engines live');
    assert.equal(s.freedBy.evicted, 1);
    live = await engines(ext.sw);
    assert.deepEqual(live.map((e) => e.tab).sort(), tabs.slice(1).sort(), 'the first of the three was evicted');
    const loads = s.loads;
    await pages[0].bringToFront();
    const tip = await tooltipOf(pages[0], `[data-tend-customer="${flagged.id}"]`);
    assert.ok(tip.includes(firstAction(flagged)), tip);
    s = await stats(ext.sw);
    assert.equal(s.loads, loads + 1, 'the evicted page loaded again');
    assert.equal(s.freedBy.evicted, 2);
    assert.equal(s.engines, 2);

    // Closing a tab frees its engine.
    await pages[0].close();
    await until(() => stats(ext.sw), (x) => x.engines === 1, 'one engine after closing a tab');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});
