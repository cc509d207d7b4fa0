// A rollout's page: its state pushed live by the server, a banner for whatever waits for an operator,
// only the controls the server says apply now, bars stacked by outcome, and the hosts, each one click
// away from its full history.
const rolloutId = Number(document.currentScript.dataset.rollout);
const terminal = ['SUCCEEDED', 'FAILED', 'HALTED', 'CANCELLED'];
const OUTCOMES = {
  SUCCEEDED: 'succeeded', COMPLIANT: 'compliant', ALREADY_COMPLIANT: 'already compliant', PENDING_RESTART: 'pending restart',
  DRIFTED: 'drifted', FAILED: 'failed', ROLLED_BACK: 'rolled back', SKIPPED: 'skipped', CANCELLED: 'cancelled',
  RUNNING: 'running', QUEUED: 'queued'
};
const CONTROLS = { approve: 'Approve', deny: 'Deny', pause: 'Pause', resume: 'Resume', 'retry-failed': 'Retry failed hosts', cancel: 'Cancel' };
let current = null;
let bannerKey = null;
let stream = null;
window.ballastLoadedOnce = true;

function countsText(counts) {
  return Object.keys(OUTCOMES).filter(o => counts[o]).map(o => counts[o] + ' ' + OUTCOMES[o]).join(', ') || 'no hosts';
}

// One segment per outcome, as wide as its share; the text beside it says the same for those who cannot tell colours apart.
function stack(element, counts, hosts) {
  element.replaceChildren();
  for (const outcome of Object.keys(OUTCOMES)) {
    if (!counts[outcome] || hosts === 0) continue;
    const part = document.createElement('span');
    part.className = 'o-' + outcome;
    part.style.width = (100 * counts[outcome] / hosts) + '%';
    part.title = counts[outcome] + ' ' + OUTCOMES[outcome];
    element.appendChild(part);
  }
  element.setAttribute('aria-label', countsText(counts));
}

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function controlButton(control, view) {
  const button = element('button', CONTROLS[control], control === 'cancel' || control === 'deny' ? 'danger' : (control === 'approve' || control === 'resume' || control === 'retry-failed' ? 'primary' : ''));
  button.type = 'button';
  button.dataset.control = control;
  button.addEventListener('click', () => act(control, view));
  return button;
}

async function act(control, view) {
  let body;
  if (control === 'cancel') {
    const queued = (view.totals || {}).QUEUED || 0;
    if (!confirm('Cancel rollout #' + rolloutId + '? ' + queued + ' queued host' + (queued === 1 ? '' : 's')
        + ' will not run; hosts in flight finish their step.')) return;
  }
  if (control === 'deny') {
    const reason = document.getElementById('deny-reason').value.trim();
    if (!reason) {
      ballast.show('action-message', 'Say why the wave is denied: the reason is recorded with the denial.', true);
      document.getElementById('deny-reason').focus();
      return;
    }
    body = { reason };
  }
  try {
    render(await ballast.send('POST', '/api/rollouts/' + rolloutId + '/' + control, body));
    ballast.show('action-message', CONTROLS[control] + ': done', false);
    connect();
  } catch (e) {
    ballast.show('action-message', e.message, true);
  }
}

// "the canary" or "wave 2", as a sentence needs it; capital() starts one.
function theWave(wave) {
  return wave.name === 'canary' ? 'the canary' : wave.name;
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function opensIn(wave) {
  if (!wave || wave.state !== 'RUNNING' || !wave.notBefore) return null;
  const seconds = Math.ceil((Date.parse(wave.notBefore) - Date.now()) / 1000);
  if (seconds <= 0) return null;
  return 'opens in ' + Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0') + ', at ' + ballast.time(wave.notBefore);
}

// What the rollout waits for, and the controls that answer it; whatever is left goes in the row below.
// Rebuilt only when what it answers changes: a reason being typed for a denial survives the pushes.
function banner(view) {
  const wave = view.waves.find(w => w.number === view.currentWave);
  const waiting = opensIn(wave);
  const key = [view.state, view.currentWave, view.reason, view.controls.join(), Boolean(waiting)].join('|');
  if (key === bannerKey) {
    const countdown = document.getElementById('opens-in');
    if (countdown && waiting) countdown.textContent = waiting;
    return;
  }
  bannerKey = key;
  const box = document.getElementById('attention');
  box.replaceChildren();
  box.className = '';
  const inBanner = [];
  const previous = view.waves.find(w => w.number === view.currentWave - 1);
  if (view.state === 'AWAITING_APPROVAL' && wave) {
    box.className = 'banner approval';
    box.appendChild(element('h2', capital(wave.name) + ' waits for approval'));
    if (previous) {
      box.appendChild(element('p', capital(theWave(previous)) + ' before it: ' + countsText(previous.counts || {}) + '.'));
      for (const gate of previous.healthGate || []) {
        box.appendChild(element('p', 'Health gate ' + gate.signal + ' on ' + theWave(previous) + ': ' + gate.passed + ' passed, '
          + gate.failed + ' failed' + (gate.figure ? '; ' + gate.figure : '') + '.', 'gate'));
      }
    }
    box.appendChild(element('p', wave.hosts + ' hosts are next. Operators and admins may approve or deny; a denial cancels the rollout with your reason.'));
    const label = element('label', 'Reason for a denial');
    const input = element('input');
    input.id = 'deny-reason';
    input.maxLength = 500;
    label.appendChild(input);
    box.appendChild(label);
    inBanner.push('approve', 'deny');
  } else if (view.state === 'HALTED') {
    box.className = 'banner halted';
    box.appendChild(element('h2', 'Halted: a failure threshold tripped'));
    box.appendChild(element('p', view.reason || ''));
    const list = element('ul', undefined, 'failed-hosts');
    box.appendChild(list);
    failedHosts(list);
    inBanner.push('retry-failed', 'cancel');
  } else if (view.state === 'PAUSED') {
    box.className = 'banner paused';
    box.appendChild(element('h2', 'Paused'));
    box.appendChild(element('p', (view.reason || '') + '. Hosts in flight finish; nothing new starts until resumed.'));
    inBanner.push('resume');
  } else if (waiting) {
    box.className = 'banner waiting';
    const line = element('p', capital(theWave(wave)) + ' ');
    const countdown = element('span', waiting);
    countdown.id = 'opens-in';
    line.append(countdown, ' (the plan\'s pause between waves).');
    box.appendChild(line);
  }
  const buttons = element('p', undefined, 'controls');
  for (const control of inBanner.filter(c => view.controls.includes(c))) buttons.appendChild(controlButton(control, view));
  if (buttons.childElementCount) box.appendChild(buttons);
  const row = document.getElementById('controls');
  row.replaceChildren();
  for (const control of view.controls.filter(c => !inBanner.includes(c))) row.appendChild(controlButton(control, view));
}

async function failedHosts(list) {
  for (const state of ['FAILED', 'ROLLED_BACK']) {
    const page = await ballast.send('GET', '/api/rollouts/' + rolloutId + '/hosts?size=20&state=' + state);
    for (const item of page.items) {
      const entry = element('li');
      const link = element('a', item.host);
      link.href = '/rollouts/' + rolloutId + '/hosts/' + encodeURIComponent(item.host);
      entry.append(link, ' ' + item.state + (item.error ? ': ' + item.error : ''));
      list.appendChild(entry);
    }
  }
}

function render(view) {
  current = view;
  const state = document.getElementById('state');
  state.textContent = view.state;
  state.className = 'state-' + view.state;
  document.getElementById('reason').textContent = view.reason || '';
  document.getElementById('finished').textContent = view.finishedAt
    ? 'finished ' + ballast.time(view.finishedAt) + ' (' + ballast.duration(view.createdAt, view.finishedAt) + ')' : 'running for ' + ballast.duration(view.createdAt, null);
  let hosts = 0;
  for (const wave of view.waves) {
    hosts += wave.hosts;
    const row = document.getElementById('wave-' + wave.number);
    if (!row) continue;
    row.querySelector('.state').textContent = opensIn(wave) || wave.state;
    stack(row.querySelector('.stack'), wave.counts || {}, wave.hosts);
    row.querySelector('.counts').textContent = countsText(wave.counts || {});
    row.querySelector('.started').textContent = wave.startedAt ? ballast.time(wave.startedAt) : '';
    row.querySelector('.finished').textContent = wave.finishedAt ? ballast.time(wave.finishedAt) : '';
  }
  stack(document.getElementById('overall'), view.totals || {}, hosts);
  document.getElementById('totals').textContent = countsText(view.totals || {});
  banner(view);
}

const FAILURES = ['FAILED', 'ROLLED_BACK'];
let domainsAt = 0;

// The failure-domain grid: one box per value of the label (a rack, a zone), one square per host.
async function loadDomains() {
  domainsAt = Date.now();
  const select = document.getElementById('domain-label');
  const data = await ballast.send('GET', '/api/rollouts/' + rolloutId + '/failure-domains'
    + (select.value ? '?label=' + encodeURIComponent(select.value) : ''));
  if (!select.options.length) {
    data.labels.forEach(label => select.add(new Option(label, label)));
    select.value = data.label || '';
  }
  const box = document.getElementById('domains');
  box.replaceChildren();
  for (const domain of data.domains) {
    const failing = FAILURES.some(state => domain.counts[state]);
    const section = element('section', undefined, 'domain' + (failing ? ' failing' : ''));
    section.appendChild(element('h3', data.label + '=' + (domain.value || '(none)')));
    section.appendChild(element('p', countsText(domain.counts), 'counts'));
    const cells = element('div', undefined, 'cells');
    for (const member of domain.hosts) {
      const cell = element('a', undefined, 'cell o-' + member.state);
      cell.href = '/rollouts/' + rolloutId + '/hosts/' + encodeURIComponent(member.host);
      cell.title = member.host + ': ' + member.state;
      cell.setAttribute('aria-label', cell.title);
      cells.appendChild(cell);
    }
    section.appendChild(cells);
    box.appendChild(section);
  }
}

// The host list once, from the paged API; afterwards each host event updates its own row.
async function loadHosts() {
  const failuresOnly = document.getElementById('host-filter').value === 'failures';
  let items = [];
  let total = 0;
  for (const state of failuresOnly ? FAILURES : ['']) {
    const page = await ballast.send('GET', '/api/rollouts/' + rolloutId + '/hosts?size=500' + (state ? '&state=' + state : ''));
    items = items.concat(page.items);
    total += page.total;
  }
  document.getElementById('hosts').querySelectorAll('tr.host').forEach(row => row.remove());
  items.forEach(showHost);
  document.getElementById('hosts-more').textContent = total > items.length ? 'Showing ' + items.length + ' of ' + total + ' hosts.' : '';
}

function showHost(item) {
  const table = document.getElementById('hosts');
  let row = [...table.querySelectorAll('tr.host')].find(r => r.dataset.host === item.host);
  if (document.getElementById('host-filter').value === 'failures' && !FAILURES.includes(item.state)) {
    if (row) row.remove();
    return;
  }
  if (!row) {
    row = table.insertRow();
    row.className = 'host';
    row.dataset.host = item.host;
    for (let i = 0; i < 6; i++) row.insertCell();
    const link = element('a', item.host);
    link.href = '/rollouts/' + rolloutId + '/hosts/' + encodeURIComponent(item.host);
    link.title = 'Every check, step and rollback of ' + item.host + ' in this rollout';
    row.cells[0].appendChild(link);
  }
  const wave = current && current.waves.find(w => w.number === item.wave);
  row.cells[1].textContent = wave ? wave.name : item.wave;
  row.cells[2].textContent = item.state;
  row.cells[2].className = 'state-' + item.state;
  row.cells[3].textContent = item.attempt;
  row.cells[4].textContent = item.error || '';
  row.cells[5].textContent = item.startedAt ? ballast.duration(item.startedAt, item.finishedAt) : '';
}

// Live changes: named events carrying only what changed (the rollout, one wave, one host). EventSource
// reconnects on its own and sends Last-Event-ID, so the server resumes after the last change seen.
function connect() {
  if (stream || terminal.includes(current.state)) return;
  stream = new EventSource('/api/rollouts/' + rolloutId + '/events');
  stream.addEventListener('rollout', (event) => {
    Object.assign(current, JSON.parse(event.data));
    render(current);
    if (Date.now() - domainsAt > 2000 || terminal.includes(current.state)) loadDomains();
    if (terminal.includes(current.state)) {
      stream.close();
      stream = null;
    }
  });
  stream.addEventListener('wave', (event) => {
    const wave = JSON.parse(event.data);
    current.waves = current.waves.map(w => w.number === wave.number ? wave : w);
    render(current);
  });
  stream.addEventListener('host', (event) => showHost(JSON.parse(event.data)));
}

document.getElementById('host-filter').addEventListener('change', loadHosts);
document.getElementById('domain-label').addEventListener('change', loadDomains);
// The countdown of a wave waiting out its pause moves between events.
setInterval(() => { if (current && !terminal.includes(current.state)) render(current); }, 1000);

ballast.send('GET', '/api/rollouts/' + rolloutId).then(view => {
  render(view);
  connect();
  loadHosts();
  loadDomains();
});
