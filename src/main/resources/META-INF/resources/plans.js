// The plans page: an editor with line numbers, where Validate marks each problem at its line; Save stores a
// version and refreshes the list; a saved version loads into the editor.
const source = document.getElementById('plan-source');
const gutter = document.getElementById('plan-lines');
let problemLines = new Map();

// One number per line of the text, the lines with a problem marked (their messages are in the list below).
function number() {
  const count = source.value.split('\n').length;
  gutter.textContent = '';
  for (let line = 1; line <= count; line++) {
    const span = document.createElement('span');
    span.textContent = line;
    span.dataset.line = line;
    if (problemLines.has(line)) {
      span.className = 'err';
      span.title = problemLines.get(line).join('\n');
    }
    gutter.appendChild(span);
  }
  gutter.scrollTop = source.scrollTop;
}

// Puts the caret at the start of a line and scrolls it into view.
function goTo(line) {
  const lines = source.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  source.focus();
  source.setSelectionRange(start, start + (lines[line - 1] || '').length);
  const height = source.scrollHeight / lines.length;
  source.scrollTop = Math.max(0, (line - 3) * height);
}

async function submitPlan(dryRun) {
  const errors = document.getElementById('plan-errors');
  errors.textContent = '';
  problemLines = new Map();
  ballast.show('plan-message', dryRun ? 'Checking…' : 'Saving…', false);
  try {
    const result = await ballast.send('POST', '/api/plans' + (dryRun ? '?dryRun=true' : ''), source.value, 'application/yaml');
    ballast.show('plan-message', dryRun ? 'Valid.' : 'Saved ' + result.name + ' version ' + result.version + '.', false);
    if (!dryRun) await refreshList();
  } catch (e) {
    ballast.show('plan-message', e.message, true);
    for (const error of (e.problem && e.problem.errors) || []) {
      const item = document.createElement('li');
      if (error.line) {
        problemLines.set(error.line, (problemLines.get(error.line) || []).concat(error.field + ': ' + error.message));
        const link = document.createElement('button');
        link.type = 'button';
        link.className = 'line-link';
        link.textContent = 'Line ' + error.line;
        link.addEventListener('click', () => goTo(error.line));
        item.append(link, ' ');
        item.dataset.line = error.line;
      }
      item.append(error.field + ': ' + error.message);
      errors.appendChild(item);
    }
  }
  number();
}

// The plan list as the page draws it now (the API's list has no step names or authors): its rows swapped in.
async function refreshList() {
  const response = await fetch('/plans', { credentials: 'same-origin' });
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  const fresh = page.getElementById('plan-rows');
  if (!fresh) return;
  document.getElementById('plan-rows').replaceWith(document.adoptNode(fresh));
  ballast.localTimes(fresh);
  wireLinks(fresh);
}

document.getElementById('validate').addEventListener('click', () => submitPlan(true));
document.getElementById('save').addEventListener('click', () => submitPlan(false));
source.addEventListener('input', number);
source.addEventListener('scroll', () => { gutter.scrollTop = source.scrollTop; });
async function load(name, version) {
  const plan = await ballast.send('GET', '/api/plans/' + encodeURIComponent(name) + '/versions/' + encodeURIComponent(version));
  source.value = plan.source;
  problemLines = new Map();
  document.getElementById('plan-errors').textContent = '';
  number();
  ballast.show('plan-message', 'Loaded ' + name + ' version ' + version + '.', false);
}
function wireLinks(root) {
  root.querySelectorAll('a.edit').forEach(link => link.addEventListener('click', (event) => {
    event.preventDefault();
    load(link.dataset.name, link.dataset.version);
  }));
}
wireLinks(document);
number();
// A rollout links the plan version it runs here: ?name=...&version=...
const asked = new URLSearchParams(location.search);
if (asked.get('name') && asked.get('version')) load(asked.get('name'), asked.get('version'));
