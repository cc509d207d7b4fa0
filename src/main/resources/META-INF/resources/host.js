// A host's page: rolling back what a rollout changed, and watching the rollback end.
const hostName = document.currentScript.dataset.host;
document.querySelectorAll('button.rollback').forEach(button => button.addEventListener('click', async () => {
  const rollout = Number(button.dataset.rollout);
  if (!confirm('Roll back what rollout #' + rollout + ' changed on ' + hostName + '?')) return;
  try {
    const started = await ballast.send('POST', '/api/hosts/' + encodeURIComponent(hostName) + '/rollback', { rollout });
    ballast.show('rollback-message', 'Rolling back (rollout #' + started.id + ')...', false);
    let view = started;
    while (!['SUCCEEDED', 'FAILED', 'HALTED', 'CANCELLED'].includes(view.state)) {
      await new Promise(resolve => setTimeout(resolve, 500));
      view = await ballast.send('GET', '/api/rollouts/' + started.id);
    }
    if (view.state === 'SUCCEEDED') {
      ballast.show('rollback-message', 'Restored: every step is back to its captured state (rollout #' + started.id + ').', false);
    } else {
      const detail = await ballast.send('GET', '/api/rollouts/' + started.id + '/hosts/' + encodeURIComponent(hostName));
      ballast.show('rollback-message', 'Rollback ' + view.state + ': ' + (detail.task.error || view.reason || ''), true);
    }
    setTimeout(() => location.reload(), 1500);
  } catch (e) {
    ballast.show('rollback-message', e.message, true);
  }
}));
