// A rollout's page: its state pushed live by the server, the hosts, and the controls.
const rolloutId = Number(document.currentScript.dataset.rollout);
const terminal = ['SUCCEEDED', 'FAILED', 'HALTED', 'CANCELLED'];
window.ballastLoadedOnce = true;

function percent(counts, hosts) {
  const open = (counts.QUEUED || 0) + (counts.RUNNING || 0);
  return hosts === 0 ? 100 : Math.round(100 * (hosts - open) / hosts);
}

function render(view) {
  const state = document.getElementById('state');
  state.textContent = view.state;
  state.className = 'state-' + view.state;
  document.getElementById('reason').textContent = view.reason || '';
  let hosts = 0;
  for (const wave of view.waves) {
    hosts += wave.hosts;
    const row = document.getElementById('wave-' + wave.number);
    if (!row) continue;
    const done = percent(wave.counts || {}, wave.hosts);
    row.querySelector('.state').textContent = wave.state;
    row.querySelector('.bar span').style.width = done + '%';
    row.querySelector('.bar em').textContent = done + '%';
    row.querySelector('.counts').textContent = Object.entries(wave.counts || {}).map(([k, v]) => k + ' ' + v).join(', ');
  }
  const overall = percent(view.totals || {}, Object.values(view.totals || {}).reduce((a, b) => a + b, 0));
  document.getElementById('overall-bar').style.width = overall + '%';
  document.getElementById('overall').textContent = overall + '%';
  document.getElementById('totals').textContent = Object.entries(view.totals || {}).map(([k, v]) => k + ' ' + v).join(', ');
  loadHosts();
}

async function loadHosts() {
  const filter = document.getElementById('host-filter').value;
  const states = filter === 'failures' ? ['FAILED', 'ROLLED_BACK'] : [''];
  let items = [];
  for (const state of states) {
    const page = await ballast.send('GET', '/api/rollouts/' + rolloutId + '/hosts?size=500' + (state ? '&state=' + state : ''));
    items = items.concat(page.items);
  }
  const table = document.getElementById('hosts');
  table.querySelectorAll('tr.host').forEach(row => row.remove());
  for (const item of items) {
    const row = table.insertRow();
    row.className = 'host';
    row.innerHTML = '<td><a></a></td><td></td><td></td><td></td><td></td>';
    const link = row.cells[0].firstChild;
    link.href = '/hosts/' + encodeURIComponent(item.host);
    link.textContent = item.host;
    row.cells[1].textContent = item.wave;
    row.cells[2].textContent = item.state;
    row.cells[2].className = 'state-' + item.state;
    row.cells[3].textContent = item.attempt;
    row.cells[4].textContent = item.error || '';
  }
}

document.getElementById('host-filter').addEventListener('change', loadHosts);
document.querySelectorAll('button[data-action]').forEach(button => button.addEventListener('click', async () => {
  try {
    render(await ballast.send('POST', '/api/rollouts/' + rolloutId + '/' + button.dataset.action));
    ballast.show('action-message', button.textContent + ': done', false);
  } catch (e) {
    ballast.show('action-message', e.message, true);
  }
}));

// Live progress: the server pushes the rollout's state every second until it ends.
const events = new EventSource('/api/rollouts/' + rolloutId + '/events');
events.onmessage = (message) => {
  const view = JSON.parse(message.data);
  render(view);
  if (terminal.includes(view.state)) events.close();
};
loadHosts();
