// The login page.
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await ballast.send('POST', '/api/session', {
      name: document.getElementById('name').value, password: document.getElementById('password').value });
    location.href = '/';
  } catch (e) {
    ballast.show('message', e.message, true);
  }
});
