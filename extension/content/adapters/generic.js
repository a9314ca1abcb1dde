// Tend adapter: the generic contract any CRM can adopt.
//
//   <script type="application/json" data-tend-export>{ "asOf"?, "policy"?, "data": <export> }</script>
//   <tr data-tend-customer="C0135">…</tr>        (any element; the badge goes into the element
//                                                 marked data-tend-slot inside it, else into the
//                                                 first cell of a table row, else at its end)
//
// An adapter is { name, detect(doc), snapshot(doc) → { fingerprint, read() }, rows(doc) →
// [{ el, id, slot }] }: `fingerprint` is a string that changes whenever the records do, cheap
// enough to take on every re-render; `read()` returns the envelope { asOf?, policy?, data } (or
// its JSON text) and is called only when the fingerprint changed. Content scripts are classic scripts sharing one isolated world: the
// adapters register themselves in globalThis.TendAdapters, in order of precedence.
(() => {
  'use strict';
  const adapters = (globalThis.TendAdapters ??= []);
  if (adapters.some((a) => a.name === 'generic')) return;

  const SCRIPT = 'script[type="application/json"][data-tend-export]';

  function slotOf(el) {
    const marked = el.querySelector('[data-tend-slot]');
    if (marked) return marked;
    if (el.tagName === 'TR' && el.cells.length) return el.cells[0];
    return el;
  }

  adapters.push({
    name: 'generic',
    detect: (doc) => doc.querySelector(SCRIPT) !== null,
    // The export exactly as the page publishes it; it is parsed in the extension's worker.
    snapshot: (doc) => {
      const text = doc.querySelector(SCRIPT).textContent;
      return { fingerprint: text, read: () => text };
    },
    rows: (doc) =>
      [...doc.querySelectorAll('[data-tend-customer]')].map((el) => ({
        el,
        id: el.getAttribute('data-tend-customer'),
        slot: slotOf(el),
      })),
  });
})();
