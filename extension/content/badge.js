// Tend badge: one per customer row, inside a Shadow DOM root so that the page's styles and
// scripts leave it alone (and it leaves the page alone). The host element carries the customer's
// compact row (the engine's `customers()` row) as attributes: data-tend-badge (customer id),
// data-tend-band, data-tend-risk, data-tend-flags (open, not snoozed, neglect flags). Hovering
// or focusing it shows a tooltip (a popover in the shadow root, so no overflow or z-index of the
// page can clip it): the row at once, then the top reasons and the first action, asked for when
// it opens (`data-detail="ready"` on the tooltip once they are shown). Everything is built with
// DOM APIs and textContent: names can contain markup.
(() => {
  'use strict';
  if (globalThis.TendBadge) return;

  const TAG = 'tend-badge';
  const ours = new WeakMap(); // host → { root, badge, tip, sig, id, row, models, details, show, hide }

  const CSS = `
    :host { display: inline-block; margin: 0 0 0 .5em; vertical-align: middle; line-height: 1; font: 11px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .b { display: inline-flex; align-items: center; gap: .35em; padding: .22em .5em; border-radius: 999px; background: #fff; border: 1px solid #cbd5e1; color: #0f172a; cursor: default; white-space: nowrap; font-weight: 600; outline: none; }
    .b:focus-visible { box-shadow: 0 0 0 2px #93c5fd; }
    .dot { width: .75em; height: .75em; border-radius: 50%; background: #94a3b8; }
    .band-green .dot { background: #16a34a; }
    .band-amber .dot { background: #f59e0b; }
    .band-red .dot { background: #dc2626; }
    .risk { padding: .12em .4em; border-radius: 4px; font-size: 10px; letter-spacing: .04em; text-transform: uppercase; }
    .risk-low { display: none; }
    .risk-medium { background: #fef3c7; color: #92400e; }
    .risk-high { background: #fee2e2; color: #991b1b; }
    .risk-critical { background: #991b1b; color: #fff; }
    .flags { color: #b91c1c; }
    .flags[hidden] { display: none; }
    .tip { position: fixed; inset: auto; margin: 0; width: max-content; max-width: 340px; padding: 10px 12px; border: 1px solid #cbd5e1; border-radius: 8px; background: #fff; color: #0f172a; box-shadow: 0 8px 24px rgba(15, 23, 42, .18); font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; white-space: normal; text-align: left; }
    .tip h3 { margin: 0 0 2px; font-size: 13px; }
    .tip .meta { color: #475569; margin: 0 0 6px; }
    .tip .sec { margin: 6px 0 2px; font-size: 10px; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; color: #64748b; }
    .tip ul { margin: 0; padding-left: 16px; }
    .tip p { margin: 0; }
    .tip .act { font-weight: 600; }
    .tip .foot { margin-top: 8px; color: #94a3b8; font-size: 11px; }
  `;
  let sheet = null;
  function styles() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return sheet;
  }

  // The element helper of www/dom.js, shared with the demo page and the popup (content/dom.js,
  // made from it by scripts/extension.sh, runs first).
  const { el } = globalThis.TendDom;

  const MODEL_TEXT = {
    fitted: 'buying model fitted on this page',
    options: 'buying model of a larger portfolio (stored)',
    none: 'no buying model',
  };

  // `details(id)`: a promise of the tooltip's details ({ reasons, action, snoozed }) or null.
  function create(details) {
    const host = document.createElement(TAG);
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styles()];
    const badge = el('span', { class: 'b', tabIndex: 0, role: 'img', 'aria-describedby': 'tip' });
    const tip = el('div', { class: 'tip', id: 'tip', popover: 'manual', role: 'tooltip' });
    root.append(badge, tip);

    const show = () => {
      try {
        tip.showPopover();
      } catch {
        return; // disconnected, or already shown
      }
      place(badge, tip);
      const st = ours.get(host);
      if (!st.row) return;
      const sig = st.sig;
      st.details(st.id).then((d) => {
        if (st.sig !== sig || !d) return;
        renderTip(st, d);
        if (tip.matches(':popover-open')) place(badge, tip);
      });
    };
    const hide = () => {
      try {
        tip.hidePopover();
      } catch {
        /* not shown */
      }
    };
    badge.addEventListener('mouseenter', show);
    badge.addEventListener('mouseleave', hide);
    badge.addEventListener('focus', show);
    badge.addEventListener('blur', hide);
    ours.set(host, { root, badge, tip, sig: '', id: null, row: null, models: null, details: details ?? (async () => null), show, hide });
    return host;
  }

  function place(anchor, tip) {
    const r = anchor.getBoundingClientRect();
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
    const below = r.bottom + 6;
    const top = below + h > window.innerHeight - 8 && r.top - h - 6 > 8 ? r.top - h - 6 : below;
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  }

  // `r`: the customer's compact row, or null when the id is not among the page's customers.
  function update(host, id, r, models) {
    const st = ours.get(host);
    const sig = JSON.stringify([id, r, models?.source ?? null]);
    if (st.sig === sig) return;
    Object.assign(st, { sig, id, row: r, models });
    const band = r ? r.band : 'none';
    const risk = r ? r.risk : 'none';
    const flags = r ? r.openFlags : 0;
    host.setAttribute('data-tend-badge', id);
    host.setAttribute('data-tend-band', band);
    host.setAttribute('data-tend-risk', risk);
    host.setAttribute('data-tend-flags', String(flags));

    const { badge, tip } = st;
    badge.className = `b band-${band}`;
    const parts = [el('span', { class: 'dot' })];
    if (r) {
      parts.push(el('span', { class: 'score', text: String(Math.round(r.health)) }));
      parts.push(el('span', { class: `risk risk-${risk}`, text: risk }));
      parts.push(el('span', { class: 'flags', text: `⚑ ${flags}`, hidden: flags === 0 }));
      badge.setAttribute('aria-label', `Tend: health ${Math.round(r.health)} (${band}), risk ${risk}, ${flags} open flag${flags === 1 ? '' : 's'}`);
    } else {
      parts.push(el('span', { class: 'score', text: '?' }));
      badge.setAttribute('aria-label', 'Tend: not scored');
    }
    badge.replaceChildren(...parts);
    renderTip(st, null);
    if (tip.matches(':popover-open')) {
      tip.hidePopover();
      st.show();
    }
  }

  // The tooltip: the compact row, and the details once they came (`d`).
  function renderTip(st, d) {
    const { id, row: r, models, tip } = st;
    const body = [];
    if (r) {
      const band = r.band;
      body.push(el('h3', { text: r.name ?? r.id }));
      const trend = r.trend;
      const trendText = typeof trend === 'number' && Math.abs(trend) >= 0.5 ? ` (${trend > 0 ? '+' : '−'}${Math.abs(trend).toFixed(1)} in 30 days)` : '';
      body.push(el('p', { class: 'meta', text: `${r.id} · health ${Math.round(r.health)} ${band}${trendText} · risk ${r.risk} (${r.riskScore.toFixed(2)})` }));
      if (d) {
        if (d.reasons.length) {
          body.push(el('div', { class: 'sec', text: 'Why' }), el('ul', {}, d.reasons.map((text) => el('li', { text }))));
        }
        body.push(el('div', { class: 'sec', text: 'Do first' }));
        if (d.action) body.push(el('p', {}, el('span', { class: 'act', text: d.action.message }), d.action.owner ? ` — ${d.action.owner}` : null));
        else body.push(el('p', { text: 'Nothing: no open action.' }));
      } else body.push(el('p', { class: 'meta', text: r.actions ? `${r.actions} open action${r.actions === 1 ? '' : 's'}…` : 'No open action.' }));
      const flags = r.openFlags;
      const snoozed = d?.snoozed ? `, ${d.snoozed} snoozed` : '';
      body.push(el('div', { class: 'foot', text: `${flags} open flag${flags === 1 ? '' : 's'}${snoozed} · ${MODEL_TEXT[models?.source] ?? ''} · scored locally by Tend` }));
    } else {
      body.push(el('h3', { text: id }));
      body.push(el('p', { class: 'meta', text: 'Not scored: this customer is not in the page’s records (or its row was rejected).' }));
    }
    tip.replaceChildren(...body);
    if (d || !r) tip.dataset.detail = 'ready';
    else delete tip.dataset.detail;
  }

  globalThis.TendBadge = {
    TAG,
    create,
    update,
    isOurs: (node) => ours.has(node),
    reveal(host) {
      const st = ours.get(host);
      if (!st) return;
      st.show();
      setTimeout(st.hide, 4000);
    },
  };
})();
