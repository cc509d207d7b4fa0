// The sweeps page: creating, editing, deleting a sweep; drawing each sweep's drift over its runs with uPlot
// from the runs table beside it (that table is also the chart's text alternative); filtering a run's drift
// by host and step; and "Run now", which follows the run until it ends and then redraws that sweep only.
const sweeps = {
  charts: {},
  form: document.getElementById('new-sweep'),
  editing: null,

  // The runs table's rows as uPlot's columns: times in seconds, and a gap where a run has no report.
  series(section) {
    const rows = [...section.querySelectorAll('table.runs tr[data-at]')];
    const number = text => text === '' ? null : Number(text);
    return [rows.map(r => Date.parse(r.dataset.at) / 1000), rows.map(r => number(r.dataset.hosts)),
      rows.map(r => number(r.dataset.facts))];
  },

  draw(section) {
    const box = section.querySelector('.chart');
    if (!box) return;
    const id = section.dataset.sweep;
    if (sweeps.charts[id]) sweeps.charts[id].destroy();
    const ink = '#1d2329';
    const axis = label => ({ label, stroke: ink, grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#8795a4' } });
    const width = Math.max(280, box.clientWidth || section.clientWidth);
    sweeps.charts[id] = new uPlot({
      width, height: 240,
      // One run alone would make uPlot stretch the time axis over years: give it a day either side.
      scales: { x: { time: true, range: (u, min, max) => min === max ? [min - 86400, max + 86400] : [min, max] },
        y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
      axes: [axis('Run scheduled for (your time)'), Object.assign(axis('Drifted (count)'),
        { values: (u, ticks) => ticks.map(t => Number.isInteger(t) ? t : '') })],
      series: [
        { label: 'Run', value: (u, t) => t == null ? '–' : ballast.time(new Date(t * 1000).toISOString()) },
        { label: 'Hosts drifted', stroke: '#d55e00', width: 2, points: { size: 7, fill: '#d55e00' }, spanGaps: false },
        { label: 'Facts drifted', stroke: '#0072b2', width: 2, dash: [6, 4], points: { size: 7, fill: '#0072b2' } }
      ]
    }, sweeps.series(section), box);
  },

  filter(section) {
    const host = (section.querySelector('.host-filter') || {}).value || '';
    const step = (section.querySelector('.step-filter') || {}).value || '';
    let hosts = 0;
    let facts = 0;
    section.querySelectorAll('tr.host').forEach(row => {
      const shown = row.dataset.host.includes(host.trim()) && (!step || row.dataset.steps.split(' ').includes(step));
      row.hidden = !shown;
      row.querySelectorAll('li[data-step]').forEach(li => { li.hidden = step !== '' && li.dataset.step !== step; });
      if (shown) {
        hosts++;
        facts += row.querySelectorAll('li[data-step]:not([hidden])').length;
      }
    });
    const shown = section.querySelector('.shown');
    if (shown) shown.textContent = hosts + ' hosts, ' + facts + ' facts' + (host || step ? ' match' : '');
  },

  // Replaces one sweep's section by the server's current one, as a reload would draw it.
  async refresh(id) {
    const response = await fetch('/sweeps', { credentials: 'same-origin' });
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.getElementById('sweep-' + id);
    const old = document.getElementById('sweep-' + id);
    if (fresh && old) {
      old.replaceWith(document.adoptNode(fresh));
      sweeps.wire(fresh);
    }
  },

  async runNow(section) {
    const id = section.dataset.sweep;
    const button = section.querySelector('.run-now');
    button.disabled = true;
    try {
      const run = await ballast.send('POST', '/api/sweeps/' + id + '/run');
      ballast.show('sweep-message', section.dataset.name + ': run #' + run.id + ' is checking hosts…', false);
      let state = run;
      while (state.state === 'RUNNING' || state.state === 'PENDING') {
        await new Promise(resolve => setTimeout(resolve, 1000));
        state = await ballast.send('GET', '/api/sweeps/' + id + '/runs/' + run.id);
      }
      await sweeps.refresh(id);
      ballast.show('sweep-message', section.dataset.name + ': run #' + run.id + ' ' + state.state
        + (state.state === 'DONE' ? ', ' + state.driftedHosts + ' of ' + state.hosts + ' hosts drifted.' : (state.error ? ': ' + state.error : '.')),
        state.state !== 'DONE');
    } catch (e) {
      ballast.show('sweep-message', e.message, true);
    } finally {
      button.disabled = false;
    }
  },

  edit(section) {
    const d = section.dataset;
    sweeps.editing = d.sweep;
    document.getElementById('sweep-name').value = d.name;
    document.getElementById('sweep-cron').value = d.cron;
    document.getElementById('sweep-zone').value = d.zone;
    document.getElementById('sweep-selector').value = d.selector;
    document.getElementById('sweep-plan').value = d.plan;
    document.getElementById('sweep-remediate').checked = d.remediate === 'true';
    document.getElementById('sweep-form-title').textContent = 'Edit sweep ' + d.name;
    document.getElementById('sweep-submit').textContent = 'Save changes';
    document.getElementById('sweep-cancel-edit').hidden = false;
    sweeps.form.scrollIntoView();
    document.getElementById('sweep-name').focus();
  },

  async remove(section) {
    const d = section.dataset;
    if (!confirm('Delete sweep ' + d.name + ' with its schedule and its ' + d.runs + ' runs?')) return;
    try {
      await ballast.send('DELETE', '/api/sweeps/' + d.sweep);
      section.remove();
      ballast.show('sweep-message', 'Deleted sweep ' + d.name + '.', false);
    } catch (e) {
      ballast.show('sweep-message', e.message, true);
    }
  },

  wire(section) {
    ballast.localTimes(section);
    section.querySelector('.run-now').addEventListener('click', () => sweeps.runNow(section));
    section.querySelector('.edit-sweep').addEventListener('click', () => sweeps.edit(section));
    section.querySelector('.delete-sweep').addEventListener('click', () => sweeps.remove(section));
    section.querySelectorAll('.host-filter, .step-filter').forEach(e => ['input', 'change']
      .forEach(type => e.addEventListener(type, () => sweeps.filter(section))));
    sweeps.draw(section);
  }
};

sweeps.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { name: document.getElementById('sweep-name').value, cron: document.getElementById('sweep-cron').value,
    timeZone: document.getElementById('sweep-zone').value, selector: document.getElementById('sweep-selector').value,
    plan: document.getElementById('sweep-plan').value, remediate: document.getElementById('sweep-remediate').checked };
  try {
    await ballast.send(sweeps.editing ? 'PUT' : 'POST', '/api/sweeps' + (sweeps.editing ? '/' + sweeps.editing : ''), body);
    location.reload();
  } catch (e) {
    ballast.show('sweep-message', e.message, true);
  }
});
document.getElementById('sweep-cancel-edit').addEventListener('click', () => location.reload());
document.querySelectorAll('section.sweep').forEach(sweeps.wire);
let resizing = null;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => document.querySelectorAll('section.sweep').forEach(sweeps.draw), 200);
});
