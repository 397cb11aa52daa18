// Placeholder page: shows that nginx, the API and its backing services answer.
async function show(id, path, pick) {
  const el = document.getElementById(id);
  try {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    el.textContent = pick(await res.json());
  } catch (err) {
    el.textContent = 'unreachable';
  }
}
show('health', '/api/v1/health', (b) => `${b.status} (postgres ${b.postgres}, redis ${b.redis})`);
show('version', '/api/v1/version', (b) => `${b.name} ${b.version}`);
