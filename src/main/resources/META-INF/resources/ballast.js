// Ballast's UI helpers: every change is a fetch that carries the session's CSRF token; failures show
// the problem answer's detail (and field errors) where the page asks.
const ballast = {
  csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  },
  async send(method, url, body, contentType) {
    const headers = { 'X-CSRF-Token': ballast.csrf() };
    if (body !== undefined) {
      headers['Content-Type'] = contentType || 'application/json';
    }
    const response = await fetch(url, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body))
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!response.ok) {
      const detail = json && (json.detail || json.title) || response.statusText;
      const error = new Error(detail);
      error.problem = json;
      throw error;
    }
    return json;
  },
  show(elementId, text, isError) {
    const element = document.getElementById(elementId);
    if (element) {
      element.textContent = text;
      element.className = isError ? 'error' : 'notice';
    }
  },
  // Times in the browser's zone and locale; the exact UTC instant stays in the title.
  time(iso) {
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  },
  duration(fromIso, toIso) {
    const seconds = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso)) / 1000));
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
    return Math.floor(seconds / 3600) + ' h ' + Math.floor(seconds % 3600 / 60) + ' min';
  },
  localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(element => {
      element.title = element.getAttribute('datetime');
      element.textContent = ballast.time(element.getAttribute('datetime'));
    });
  },
  async logout() {
    try { await ballast.send('DELETE', '/api/session'); } finally { location.href = '/login'; }
  }
};

// Handlers are attached here, never written into the page: the Content-Security-Policy runs no inline code.
document.addEventListener('DOMContentLoaded', () => {
  const logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', ballast.logout);
  }
  ballast.localTimes(document);
});
