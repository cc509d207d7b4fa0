// The audit page's time range: picked in the browser's zone, sent to the server as exact instants.
const pad = n => String(n).padStart(2, '0');
function local(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours())
    + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}
for (const [picker, hidden] of [['f-since', 'since'], ['f-until', 'until']]) {
  const input = document.getElementById(picker);
  if (input.dataset.instant) input.value = local(input.dataset.instant);
  input.addEventListener('change', () => {
    document.getElementById(hidden).value = input.value ? new Date(input.value).toISOString() : '';
  });
}
// Empty fields stay out of the address, so a filtered page's link says only what it filters by.
document.getElementById('audit-filter').addEventListener('submit', () => {
  document.querySelectorAll('#audit-filter input[name]').forEach(input => { input.disabled = input.value === ''; });
});
