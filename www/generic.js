// The generic Tend adapter's test page: a vendor page that publishes its records in
// `<script type="application/json" data-tend-export>` and marks its rows `data-tend-customer`.
// "Re-render rows" rebuilds the rows as new elements (as a single-page app does); "Log the
// call-back" changes the data: it adds an outbound call that returns the customer's missed call.
(() => {
  'use strict';

  const script = document.querySelector('script[type="application/json"][data-tend-export]');
  const tbody = document.querySelector('#accounts tbody');

  const read = () => JSON.parse(script.textContent);

  function render() {
    const { data } = read();
    tbody.replaceChildren(
      ...data.customers.map((c) => {
        const tr = document.createElement('tr');
        tr.dataset.tendCustomer = c.id;
        const name = document.createElement('td');
        name.className = 'name';
        const small = document.createElement('small');
        small.textContent = c.id;
        name.append(`${c.name ?? c.id} `, small);
        const owner = document.createElement('td');
        owner.textContent = c.owner ?? '';
        const segment = document.createElement('td');
        segment.textContent = c.segment ?? '';
        tr.append(name, owner, segment);
        return tr;
      }),
    );
  }

  document.getElementById('rerender').addEventListener('click', render);

  document.getElementById('callback').addEventListener('click', (e) => {
    const id = e.currentTarget.dataset.customer;
    const env = read();
    const at = new Date(Date.parse(env.asOf) - 3600e3).toISOString();
    env.data.contacts.push({ id: `CON-CB-${id}`, customerId: id, at, direction: 'outbound', channel: 'call', status: 'answered' });
    script.textContent = JSON.stringify(env);
    render();
  });
})();
