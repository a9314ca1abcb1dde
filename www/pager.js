// A table shown one page at a time, its pages asked of the worker: the page holds only the rows
// on screen. Column headers with `data-sort` sort (a second click reverses); the pager's
// controls are found by `data-pg` (first, prev, info, next, last, size).
import { clear, el, fmtInt } from './dom.js';

export class PagedTable {
  /**
   * `table`: the <table> (its `data-busy` is "1" while a page is asked); `pager`: the element
   * holding the controls; `fetch({offset, limit, sort, dir})` → `{items, total, offset}`;
   * `row(item, position)` → a <tr>; `empty()` → the text of an empty table; `sorts`: the
   * sortable keys and their first direction; `onPage(res)` after a page is shown.
   */
  constructor({ table, pager, fetch, row, empty, sorts = {}, sort = null, dir = 'asc', limit = 50, onPage = null, onError = null }) {
    Object.assign(this, { table, pager, fetch, row, empty, sorts, onPage, onError });
    this.body = table.tBodies[0];
    this.state = { offset: 0, limit, sort, dir };
    this.seq = 0;
    this.total = 0; // of the page shown
    this.columns = table.tHead.rows[0].cells.length;
    this.setupSort();
    this.setupPager();
  }

  setupSort() {
    for (const th of this.table.querySelectorAll('th[data-sort]')) {
      th.querySelector('button').addEventListener('click', () => {
        const key = th.dataset.sort;
        if (this.state.sort === key) this.state.dir = this.state.dir === 'asc' ? 'desc' : 'asc';
        else Object.assign(this.state, { sort: key, dir: this.sorts[key] ?? 'asc' });
        this.reset();
      });
    }
  }

  setupPager() {
    const pg = (name) => this.pager.querySelector(`[data-pg=${name}]`);
    const go = (f) => () => {
      this.state.offset = f(this.state);
      this.refresh();
    };
    pg('first').addEventListener('click', go(() => 0));
    pg('prev').addEventListener('click', go((s) => Math.max(0, s.offset - s.limit)));
    pg('next').addEventListener('click', go((s) => s.offset + s.limit));
    pg('last').addEventListener('click', go((s) => Math.max(0, Math.floor((this.total - 1) / s.limit) * s.limit)));
    pg('size')?.addEventListener('change', (e) => {
      this.state.limit = Number(e.target.value);
      this.reset();
    });
    this.pg = pg;
  }

  /** Back to the first page, then show it. */
  reset() {
    this.state.offset = 0;
    return this.refresh();
  }

  /** Ask for the current page and show it (a later call wins over an earlier one). */
  async refresh() {
    const seq = ++this.seq;
    this.table.dataset.busy = '1';
    let res;
    try {
      res = await this.fetch({ ...this.state });
    } catch (e) {
      if (seq !== this.seq) return;
      this.table.dataset.busy = '0';
      if (!e.cancelled) this.onError?.(e);
      return;
    }
    if (seq !== this.seq) return;
    this.state.offset = res.offset;
    this.show(res);
    this.table.dataset.busy = '0';
  }

  /** Show a page: `{items, total, offset}`. */
  show(res) {
    const { items, total, offset } = res;
    this.total = total;
    const frag = document.createDocumentFragment();
    items.forEach((item, i) => frag.append(this.row(item, offset + i + 1)));
    clear(this.body).append(frag);
    if (!items.length) this.body.append(el('tr', {}, el('td', { colspan: this.columns, class: 'empty', text: this.empty() })));
    const { limit } = this.state;
    const last = offset + items.length;
    const pages = Math.max(1, Math.ceil(total / limit));
    this.pg('info').textContent = total ? `${fmtInt(offset + 1)}–${fmtInt(last)} of ${fmtInt(total)} · page ${fmtInt(Math.floor(offset / limit) + 1)} of ${fmtInt(pages)}` : 'No rows';
    this.pg('first').disabled = this.pg('prev').disabled = offset === 0;
    this.pg('next').disabled = this.pg('last').disabled = last >= total;
    for (const th of this.table.querySelectorAll('th[data-sort]')) {
      if (th.dataset.sort === this.state.sort) th.setAttribute('aria-sort', this.state.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    this.onPage?.(res);
  }
}
