// A virtualised table: of `total` rows only those in the scrolled window (and a few around) are in
// the DOM, between two spacer rows; rows are fixed height. Pages of rows are asked of the worker
// as the window reaches them (a few pages kept), so 100,000 rows scroll with short tasks. The
// keyboard moves through every row: ↑ ↓, Page Up/Down, Home/End (the row's first control takes
// the focus); column headers with `data-sort` sort. `data-busy` on the table is "1" while a page
// of the current query is asked.
import { el, clear } from './dom.js';

const OVERSCAN = 8; // rows rendered above and below the window
const KEEP = 24; // pages kept

export class VirtualTable {
  /**
   * `scroller`: the element that scrolls; `table`: its <table>; `fetch({offset, limit, sort, dir})`
   * → `{items, total}`; `row(item, index)` → a <tr>; `empty()` → the text of an empty table;
   * `onTotal(total)` when a query's total is known; `sorts`: sortable keys → first direction.
   */
  constructor({ scroller, table, fetch, row, empty, rowHeight = 44, pageSize = 50, sorts = {}, sort = null, dir = 'asc', onTotal = null, onError = null }) {
    Object.assign(this, { scroller, table, fetch, row, empty, rowHeight, pageSize, sorts, onTotal, onError });
    this.body = table.tBodies[0];
    this.columns = table.tHead.rows[0].cells.length;
    this.state = { sort, dir };
    this.gen = 0;
    this.total = 0;
    this.pages = new Map(); // page index → items, in the order they came
    this.asked = new Set();
    this.active = 0; // the row the keyboard is on
    this.frame = 0;
    scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    table.addEventListener('keydown', (e) => this.key(e));
    table.addEventListener('focusin', (e) => {
      const tr = e.target.closest('tr[data-index]');
      if (tr) this.active = Number(tr.dataset.index);
    });
    for (const th of table.querySelectorAll('th[data-sort]')) {
      th.querySelector('button').addEventListener('click', () => {
        const key = th.dataset.sort;
        if (this.state.sort === key) this.state.dir = this.state.dir === 'asc' ? 'desc' : 'asc';
        else Object.assign(this.state, { sort: key, dir: sorts[key] ?? 'asc' });
        this.reset();
      });
    }
  }

  /** A new query (filters or sort): back to the top, pages asked again. */
  reset() {
    this.gen++;
    this.pages.clear();
    this.asked.clear();
    this.active = 0;
    this.scroller.scrollTop = 0;
    this.total = 0;
    this.known = false;
    for (const th of this.table.querySelectorAll('th[data-sort]')) {
      if (th.dataset.sort === this.state.sort) th.setAttribute('aria-sort', this.state.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    return this.load(0);
  }

  async load(page) {
    const gen = this.gen;
    if (this.asked.has(page)) return;
    this.asked.add(page);
    this.table.dataset.busy = '1';
    let res;
    try {
      res = await this.fetch({ ...this.state, offset: page * this.pageSize, limit: this.pageSize });
    } catch (e) {
      if (gen !== this.gen) return;
      this.asked.delete(page);
      this.table.dataset.busy = this.asked.size > this.pages.size ? '1' : '0';
      if (!e.cancelled) this.onError?.(e);
      return;
    }
    if (gen !== this.gen) return;
    this.pages.set(page, res.items);
    while (this.pages.size > KEEP) {
      const [old] = this.pages.keys();
      this.pages.delete(old);
      this.asked.delete(old);
    }
    if (!this.known || res.total !== this.total) {
      this.known = true;
      this.total = res.total;
      this.table.setAttribute('aria-rowcount', String(res.total + 1));
      this.onTotal?.(res.total);
    }
    this.schedule(); // replies coming together are drawn in one frame (which clears data-busy)
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  itemAt(i) {
    return this.pages.get(Math.floor(i / this.pageSize))?.[i % this.pageSize];
  }

  /** Draw the rows of the scrolled window; ask for the pages it lacks. */
  render() {
    const h = this.rowHeight;
    const view = this.viewHeight();
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / h) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((this.scroller.scrollTop + view) / h) + OVERSCAN);
    const hadFocus = this.body.contains(document.activeElement);
    const frag = document.createDocumentFragment();
    frag.append(el('tr', { class: 'spacer', 'aria-hidden': 'true' }, el('td', { colspan: this.columns, style: null })));
    for (let i = first; i < last; i++) {
      const item = this.itemAt(i);
      if (!item) this.load(Math.floor(i / this.pageSize));
      const tr = item ? this.row(item, i) : el('tr', {}, el('td', { colspan: this.columns, class: 'loading', text: 'Loading…' }));
      tr.dataset.index = String(i);
      tr.setAttribute('aria-rowindex', String(i + 2));
      tr.classList.add('vrow');
      frag.append(tr);
    }
    frag.append(el('tr', { class: 'spacer', 'aria-hidden': 'true' }, el('td', { colspan: this.columns })));
    clear(this.body).append(frag);
    this.body.firstChild.firstChild.style.height = `${first * h}px`;
    this.body.lastChild.firstChild.style.height = `${Math.max(0, this.total - last) * h}px`;
    if (!this.total && this.known) this.body.append(el('tr', {}, el('td', { colspan: this.columns, class: 'empty', text: this.empty() })));
    if (hadFocus) this.focusRow(this.active, false);
    if ([...this.asked].every((p) => this.pages.has(p))) this.table.dataset.busy = '0';
  }

  // The scroller's height: its max-height while its rows do not fill it yet.
  viewHeight() {
    if (this.maxHeight === undefined) this.maxHeight = parseFloat(getComputedStyle(this.scroller).maxHeight) || 0;
    return Math.max(this.scroller.clientHeight, this.maxHeight || 600);
  }

  focusRow(i, scroll = true) {
    const tr = this.body.querySelector(`tr[data-index="${i}"]`);
    if (!tr) return false;
    if (scroll) {
      const h = this.rowHeight;
      const top = i * h;
      const view = this.scroller.clientHeight - this.table.tHead.offsetHeight;
      if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
      else if (top + h > this.scroller.scrollTop + view) this.scroller.scrollTop = top + h - view;
    }
    const target = tr.querySelector('button, a[href]') ?? tr;
    if (target === tr) tr.tabIndex = -1;
    target.focus({ preventScroll: true });
    return true;
  }

  /** Move the keyboard to row `i` (scrolled to, drawn, focused once its page is in). */
  goTo(i) {
    if (!this.total) return;
    this.active = Math.max(0, Math.min(this.total - 1, i));
    const h = this.rowHeight;
    const top = this.active * h;
    const view = this.scroller.clientHeight - this.table.tHead.offsetHeight;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + h > this.scroller.scrollTop + view) this.scroller.scrollTop = top + h - view;
    this.render();
    this.focusRow(this.active, false);
  }

  key(e) {
    if (!e.target.closest('tbody')) return;
    const per = Math.max(1, Math.floor(this.scroller.clientHeight / this.rowHeight) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: per, PageUp: -per };
    if (e.key in moves) this.goTo(this.active + moves[e.key]);
    else if (e.key === 'Home') this.goTo(0);
    else if (e.key === 'End') this.goTo(this.total - 1);
    else return;
    e.preventDefault();
  }
}
