// The development sign-in page (--dev-auth only): the teams to pick from,
// and where to go after signing in.
const select = document.getElementById('dev-team');
const back = new URLSearchParams(location.search).get('return');
if (back && back.startsWith('/app/')) document.getElementById('dev-return').value = back;

const response = await fetch('/app/dev/teams', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
const { teams } = await response.json();
for (const team of teams) select.append(new Option(`${team.name} (${team.kind})`, team.id));
