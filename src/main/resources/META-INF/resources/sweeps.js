// The sweeps page: creating a sweep and starting a run.
document.getElementById('new-sweep').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await ballast.send('POST', '/api/sweeps', { name: document.getElementById('sweep-name').value,
      cron: document.getElementById('sweep-cron').value, selector: document.getElementById('sweep-selector').value,
      plan: document.getElementById('sweep-plan').value, remediate: document.getElementById('sweep-remediate').checked });
    location.reload();
  } catch (e) {
    ballast.show('sweep-message', e.message, true);
  }
});
document.querySelectorAll('button.run-now').forEach(button => button.addEventListener('click', async () => {
  try {
    await ballast.send('POST', '/api/sweeps/' + button.dataset.sweep + '/run');
    ballast.show('sweep-message', 'Run started; reload to see its report when it ends.', false);
  } catch (e) {
    ballast.show('sweep-message', e.message, true);
  }
}));
