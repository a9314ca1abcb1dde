// The extension's settings: the options page's policy (validated, saved in chrome.storage.sync,
// applied and reset), each site's model kept to its site unless the user chose it for another,
// local pages read only where enabled, and settings messages accepted only from extension pages.
// The browser with the extension, the server and the helpers are extension-harness.mjs's.
//
//   node --test tests/e2e/extension-settings.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { crmEnvelope } from '../../extension/tools/pages-data.mjs';
import { useExtension, launch, openFlags, genericEnvelope, settled, assertMatches, stats, engines, tabOf, tooltipOf, until, server, tend, GENERIC_ROW, RESULTS, TIMEOUT } from './extension-harness.mjs';

useExtension();

/** Whether Tend's content script runs in the tab showing `url` (asked in the extension's
 * isolated world, where the content scripts live). */
async function injected(sw, url) {
  return sw.evaluate(async (u) => {
    const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
    const [r] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: () => globalThis.__tendContent === true });
    return r.result;
  }, url);
}

// The popup of `page`'s tab: its status and model lines.
async function popupOf(ext, page) {
  const tab = await tabOf(ext, page);
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
  await popup.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
  const out = { status: await popup.textContent('#status'), model: await popup.textContent('#model'), page: await popup.textContent('#page') };
  await popup.close();
  return out;
}

test('options page: the policy is validated, saved in chrome.storage.sync and applied', async () => {
  const env = await genericEnvelope();
  const ext = await launch();
  try {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.id}/options.html`);
    await options.waitForSelector('body[data-ready="true"]');

    // An invalid value is refused with the core's message, and nothing is saved.
    await options.fill('input[name="timezone"]', 'Europe/Paris');
    await options.click('#policy button[type="submit"]');
    await options.waitForSelector('#policy-status.error');
    assert.match(await options.textContent('#policy-status'), /Not saved.*timezone/);
    assert.deepEqual(await ext.sw.evaluate(() => chrome.storage.sync.get('policy')), {});

    await options.fill('input[name="timezone"]', '+01:00');
    await options.fill('input[name="returnContactWithin"]', '10');
    await options.fill('textarea[name="holidays"]', '2026-11-19');
    await options.click('#policy button[type="submit"]');
    await options.waitForFunction(() => /Saved/.test(document.getElementById('policy-status').textContent));
    await options.screenshot({ path: path.join(RESULTS, 'extension-options.png'), fullPage: true });
    const saved = (await ext.sw.evaluate(() => chrome.storage.sync.get('policy'))).policy;
    assert.deepEqual(saved, { returnContactWithin: 10, timezone: '+01:00', holidays: ['2026-11-19'] });

    // The page's policy with the user's on top (holidays: both lists).
    const policy = { ...env.policy, returnContactWithin: 10, timezone: '+01:00', holidays: [...env.policy.holidays, '2026-11-19'] };
    const report = tend.analyze(env.data, { asOf: env.asOf, policy });
    const plain = tend.analyze(env);
    const differs = report.customers.filter((c) => openFlags(c) !== openFlags(plain.customers.find((k) => k.id === c.id)));
    assert.ok(differs.length > 0, 'the saved policy changes some flag counts');

    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    assertMatches(await settled(page, '[data-tend-customer]', 'data-tend-customer'), report);

    // Reset: open pages are scored again with the page's own policy.
    await options.bringToFront();
    await options.click('#reset');
    const target = differs[0];
    const want = String(openFlags(plain.customers.find((c) => c.id === target.id)));
    assertMatches(
      await settled(page, '[data-tend-customer]', 'data-tend-customer', (rs) => rs.find((r) => r.id === target.id).badges[0].flags === want),
      plain,
    );
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('two sites: the first site\'s model is never used on the second unless the user chose it', async () => {
  const crm = crmEnvelope();
  const env = await genericEnvelope();
  const alone = tend.analyze(env);
  assert.equal(alone.models.source, 'none', 'the generic page alone fits no model');
  const first = server.url; // http://127.0.0.1:<port>
  const second = `http://localhost:${server.port}`;
  const ext = await launch();
  try {
    // The first site fits a model, stored as its own.
    const a = await ext.context.newPage();
    await a.goto(`${first}/www/crm.html`);
    await settled(a, 'tr[data-customer-id]', 'data-customer-id');
    const models = () => ext.sw.evaluate(() => chrome.storage.local.get(null)).then((all) => Object.keys(all).filter((k) => k.startsWith('model:')));
    assert.deepEqual(await until(models, (k) => k.length === 1, 'the first site\'s model is stored'), [`model:${first}`]);
    const stored = (await ext.sw.evaluate((k) => chrome.storage.local.get(k), `model:${first}`))[`model:${first}`];

    // The second site: scored without it, and nothing names the first site.
    const b = await ext.context.newPage();
    await b.goto(`${second}/www/generic.html`);
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), alone);
    let s = await stats(ext.sw);
    assert.equal(s.last.url, b.url());
    assert.equal(s.last.models, 'none', 'the second site does not use the first site\'s model');
    let eb = (await engines(ext.sw)).find((e) => e.url === b.url());
    assert.equal(eb.origin, second);
    assert.equal(eb.storedFrom, null);
    let pop = await popupOf(ext, b);
    assert.equal(pop.page, new URL(second).host);
    assert.ok(!pop.model.includes('127.0.0.1') && !pop.status.includes('127.0.0.1'), JSON.stringify(pop));
    assert.match(pop.model, /No buying model/);
    const tip = await tooltipOf(b, `[data-tend-customer="${alone.customers[0].id}"]`);
    assert.ok(!tip.includes('127.0.0.1') && tip.includes('no buying model'), tip);
    await b.mouse.move(0, 0);
    assert.deepEqual(await models(), [`model:${first}`], 'the second site stored nothing, the first site\'s model is untouched');

    // The user chooses the first site's model for the second on the options page: the open page
    // is loaded again with it, and the popup names where it comes from.
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.id}/options.html`);
    await options.waitForSelector('body[data-models="1"]');
    await options.fill('#choice-site', second);
    await options.selectOption('#choice-source', first);
    await options.click('#choose-model button[type="submit"]');
    await options.waitForSelector(`#choices li[data-site="${second}"]`);
    assert.deepEqual((await ext.sw.evaluate(() => chrome.storage.sync.get('modelFrom'))).modelFrom, { [second]: first });
    const withModel = tend.analyze(env, { models: stored.models });
    assert.equal(withModel.models.source, 'options');
    await b.bringToFront();
    s = await until(() => stats(ext.sw), (x) => x.last.url === b.url() && x.last.models === 'options', 'the second site loaded with the chosen model');
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), withModel);
    eb = (await engines(ext.sw)).find((e) => e.url === b.url());
    assert.deepEqual({ own: eb.storedFrom.own, host: eb.storedFrom.host }, { own: false, host: new URL(first).host });
    pop = await popupOf(ext, b);
    assert.ok(pop.model.includes(`on ${new URL(first).host}, chosen in the options`), pop.model);

    // Back to its own: the choice is removed, the page is loaded without the model.
    await options.bringToFront();
    await options.click(`#choices li[data-site="${second}"] button`);
    await b.bringToFront();
    await until(() => stats(ext.sw), (x) => x.last.url === b.url() && x.last.models === 'none', 'the second site back to no model');
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), alone);
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('local pages are read only where enabled; settings messages only from extension pages', async () => {
  const env = await genericEnvelope();
  const ext = await launch({ local: [] });
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('[data-tend-badge]').count(), 0, 'no badge on a local page that is not enabled');
    assert.equal((await stats(ext.sw)).loads, 0, 'nothing was sent to the worker');
    assert.deepEqual(await ext.sw.evaluate(() => chrome.scripting.getRegisteredContentScripts()), [], 'no content script registered');
    assert.equal(await injected(ext.sw, page.url()), false, 'the content script is not in the page');

    // Enabled from the options page: the open page gets its badges.
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.id}/options.html`);
    await options.waitForSelector('body[data-ready="true"]');
    await options.check('input[data-local="http://127.0.0.1/*"]');
    await options.waitForFunction(() => /Enabled on/.test(document.getElementById('local-status').textContent));
    assert.deepEqual((await ext.sw.evaluate(() => chrome.storage.sync.get('localSites'))).localSites, ['http://127.0.0.1/*']);
    await page.bringToFront();
    assertMatches(await settled(page, GENERIC_ROW, 'data-tend-customer'), tend.analyze(env));
    // localhost stays off.
    const other = await ext.context.newPage();
    await other.goto(`http://localhost:${server.port}/www/generic.html`);
    await other.waitForTimeout(1500);
    assert.equal(await other.locator('[data-tend-badge]').count(), 0, 'localhost is not enabled');
    assert.equal(await injected(ext.sw, page.url()), true, 'the content script was injected into the open 127.0.0.1 page');
    assert.equal(await injected(ext.sw, other.url()), false, 'and not into the localhost page');
    // A content script's world can neither read nor write the settings and models.
    const storage = await ext.sw.evaluate(async (u) => {
      const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
      const [r] = await chrome.scripting.executeScript({
        target: { tabId: tab.id },
        func: async () => {
          const tryIt = async (f) => f().then(() => 'allowed', (e) => `refused: ${e.message}`);
          return {
            readLocal: await tryIt(() => chrome.storage.local.get(null)),
            readSync: await tryIt(() => chrome.storage.sync.get(null)),
            writeSync: await tryIt(() => chrome.storage.sync.set({ localSites: ['http://localhost/*'] })),
          };
        },
      });
      return r.result;
    }, page.url());
    for (const [what, r] of Object.entries(storage)) assert.match(r, /^refused: /, `${what}: ${r}`);
    assert.deepEqual((await ext.sw.evaluate(() => chrome.storage.sync.get('localSites'))).localSites, ['http://127.0.0.1/*'], 'nothing was written');
    // Disabled on the options page: the open page stops (its badges removed).
    await options.bringToFront();
    await options.uncheck('input[data-local="http://127.0.0.1/*"]');
    await options.waitForFunction(() => /not read/.test(document.getElementById('local-status').textContent));
    await page.bringToFront();
    await page.waitForFunction(() => document.querySelectorAll('[data-tend-badge]').length === 0, null, { timeout: TIMEOUT });
    assert.deepEqual(await ext.sw.evaluate(() => chrome.scripting.getRegisteredContentScripts()), [], 'unregistered');

    // The worker checks messages: settings types from a page are refused, page types from the
    // options page too, unknown types and oversized fields are refused with a message.
    const answers = await options.evaluate(async () => {
      const send = (m) => chrome.runtime.sendMessage(m);
      return {
        unknown: await send({ type: 'tend:nope' }),
        pageType: await send({ type: 'tend:load', text: '{}' }),
        badOrigin: await send({ type: 'tend:chooseModel', site: 'javascript:alert(1)', source: null }),
        badLocal: await send({ type: 'tend:setLocalSites', sites: ['https://evil.example/*'] }),
      };
    });
    assert.equal(answers.unknown.ok, false);
    assert.match(answers.unknown.error.message, /unknown message type/);
    assert.equal(answers.pageType.error.code, 'forbidden');
    assert.equal(answers.badOrigin.error.code, 'invalid_input');
    assert.equal(answers.badLocal.error.code, 'invalid_input');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});
