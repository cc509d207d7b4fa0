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
});
