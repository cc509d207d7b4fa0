// The plans page: validating and saving a plan, loading a saved version into the editor.
async function submitPlan(dryRun) {
  const errors = document.getElementById('plan-errors');
  errors.innerHTML = '';
  try {
    const result = await ballast.send('POST', '/api/plans' + (dryRun ? '?dryRun=true' : ''),
      document.getElementById('plan-source').value, 'application/yaml');
    ballast.show('plan-message', dryRun ? 'Valid.' : 'Saved ' + result.name + ' version ' + result.version + '.', false);
  } catch (e) {
    ballast.show('plan-message', e.message, true);
    for (const error of (e.problem && e.problem.errors) || []) {
      const item = document.createElement('li');
      item.textContent = error.field + ': ' + error.message;
      errors.appendChild(item);
    }
  }
}
document.getElementById('validate').addEventListener('click', () => submitPlan(true));
document.getElementById('save').addEventListener('click', () => submitPlan(false));
async function load(name, version) {
  const plan = await ballast.send('GET', '/api/plans/' + encodeURIComponent(name) + '/versions/' + encodeURIComponent(version));
  document.getElementById('plan-source').value = plan.source;
  ballast.show('plan-message', 'Loaded ' + name + ' version ' + version + '.', false);
}
document.querySelectorAll('a.edit').forEach(link => link.addEventListener('click', (event) => {
  event.preventDefault();
  load(link.dataset.name, link.dataset.version);
}));
// A rollout links the plan version it runs here: ?name=...&version=...
const asked = new URLSearchParams(location.search);
if (asked.get('name') && asked.get('version')) load(asked.get('name'), asked.get('version'));
