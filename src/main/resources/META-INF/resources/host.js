// A host's page: rolling back what a rollout changed. The confirm lists what will be restored; the
// page then follows the rollback and reloads, and the server shows how it ended (it survives a reload).
const hostName = document.currentScript.dataset.host;
document.querySelectorAll('button.rollback').forEach(button => button.addEventListener('click', () => {
  document.getElementById('confirm-rollback-' + button.dataset.rollout).showModal();
}));
document.querySelectorAll('dialog.confirm-rollback').forEach(dialog => dialog.addEventListener('close', async () => {
  if (dialog.returnValue !== 'rollback') return;
  const rollout = Number(dialog.id.substring('confirm-rollback-'.length));
  try {
    const started = await ballast.send('POST', '/api/hosts/' + encodeURIComponent(hostName) + '/rollback', { rollout });
    ballast.show('rollback-message', 'Rolling back what rollout #' + rollout + ' changed (rollback #' + started.id + ')...', false);
    let view = started;
    while (!['SUCCEEDED', 'FAILED', 'HALTED', 'CANCELLED'].includes(view.state)) {
      await new Promise(resolve => setTimeout(resolve, 500));
      view = await ballast.send('GET', '/api/rollouts/' + started.id);
    }
    location.reload();
  } catch (e) {
    ballast.show('rollback-message', e.message, true);
  }
}));

// Maintenance: an operator's switch, through the API (audited); the page reloads to show the new state.
const maintenance = document.getElementById('maintenance-toggle');
if (maintenance) {
  maintenance.addEventListener('click', async () => {
    const on = maintenance.dataset.maintenance !== 'true';
    try {
      await ballast.send('PUT', '/api/hosts/' + encodeURIComponent(hostName) + '/maintenance', { maintenance: on });
      location.reload();
    } catch (e) {
      ballast.show('maintenance-message', e.message, true);
    }
  });
}

// Accepting a changed host key: the key is sent back as shown, so what is pinned is what the admin saw.
const accept = document.getElementById('accept-key');
if (accept) {
  accept.addEventListener('click', async () => {
    if (!confirm('Pin the presented key of ' + hostName + ' and end its quarantine?')) return;
    try {
      await ballast.send('POST', '/api/hosts/' + encodeURIComponent(hostName) + '/host-key/accept', { hostKey: accept.dataset.key });
      location.reload();
    } catch (e) {
      ballast.show('accept-message', e.message, true);
    }
  });
}

// Probe now: the catalog's parameter schemas become fields; the answer becomes tables of facts and drift.
const probeForm = document.getElementById('probe');
if (probeForm) {
  const what = document.getElementById('probe-what');
  const fields = document.getElementById('probe-params');
  let catalog = [];
  const showParams = () => {
    fields.replaceChildren();
    const entry = catalog.find(e => e.kind + ':' + e.id === what.value);
    (entry ? entry.parameters : []).forEach(p => {
      const label = document.createElement('label');
      label.append(p.name + (p.required ? '' : ' (optional)'));
      let input;
      if (p.allowed && p.allowed.length) {
        input = document.createElement('select');
        if (!p.required) input.append(new Option('default' + (p.defaultValue ? ': ' + p.defaultValue : ''), ''));
        p.allowed.forEach(v => input.append(new Option(v, v)));
      } else {
        input = document.createElement('input');
        input.placeholder = p.defaultValue || '';
        input.required = p.required;
      }
      input.name = p.name;
      input.title = p.description || '';
      label.append(input);
      fields.append(label);
    });
  };
  ballast.send('GET', '/api/steps').then(entries => {
    catalog = entries;
    entries.forEach(e => what.append(new Option(e.kind + ': ' + e.id, e.kind + ':' + e.id)));
    showParams();
  });
  what.addEventListener('change', showParams);
  const table = (caption, head, rows) => {
    const t = document.createElement('table');
    t.className = 'facts';
    t.createCaption().textContent = caption;
    const header = t.insertRow();
    head.forEach(h => { const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; header.append(th); });
    // A value that spans lines (a udev rule, a domain's XML) keeps its lines.
    rows.forEach(r => {
      const row = t.insertRow();
      r.forEach(v => {
        const cell = row.insertCell();
        const text = v == null ? '' : String(v);
        if (text.includes('\n')) {
          const pre = document.createElement('pre');
          pre.tabIndex = 0;
          pre.textContent = text;
          cell.append(pre);
        } else {
          cell.textContent = text;
        }
      });
    });
    const box = document.createElement('div');
    box.className = 'scroll';
    box.tabIndex = 0;
    box.append(t);
    return box;
  };
  probeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [kind, id] = what.value.split(':');
    const params = {};
    fields.querySelectorAll('input, select').forEach(i => { if (i.value !== '') params[i.name] = i.value; });
    const result = document.getElementById('probe-result');
    result.replaceChildren();
    ballast.show('probe-message', 'Probing ' + id + '...', false);
    try {
      const answer = await ballast.send('POST', '/api/hosts/' + encodeURIComponent(hostName) + '/probe',
        kind === 'check' ? { check: id, params } : { step: id, params });
      if (answer.result) {
        const r = answer.result;
        ballast.show('probe-message', 'Check ' + id + ': ' + r.status + ' (' + r.message + ')', r.status === 'FAILED');
        result.append(table('What the check saw', ['Observed', 'Expected'], [[r.observed, r.expected]]));
        const figures = Object.entries(r.figures || {});
        if (figures.length) result.append(table('Figures', ['Figure', 'Value'], figures));
      } else {
        ballast.show('probe-message', id + ': ' + (answer.compliant ? 'compliant, no drift'
          : answer.drift.length + (answer.drift.length === 1 ? ' fact' : ' facts') + ' drifted'), !answer.compliant);
        if (answer.drift.length) result.append(table('Drift', ['Fact', 'Desired', 'Actual'], answer.drift.map(d => [d.fact, d.desired, d.actual])));
        result.append(table('Facts', ['Fact', 'Value'], Object.entries(answer.state)));
      }
    } catch (e) {
      ballast.show('probe-message', e.message + (e.problem && e.problem.errors
        ? ' (' + e.problem.errors.map(x => x.field + ': ' + x.message).join('; ') + ')' : ''), true);
    }
  });
}
