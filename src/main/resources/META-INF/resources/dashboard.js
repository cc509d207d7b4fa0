// The dashboard: starting a rollout.
document.getElementById('start').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const rollout = await ballast.send('POST', '/api/rollouts', { plan: document.getElementById('plan').value,
      selector: document.getElementById('selector').value, mode: document.getElementById('mode').value });
    location.href = '/rollouts/' + rollout.id;
  } catch (e) {
    ballast.show('start-message', e.message + (e.problem && e.problem.errors
      ? ' (' + e.problem.errors.map(x => x.field + ': ' + x.message).join('; ') + ')' : ''), true);
  }
});
