// What every page of the app shares: the session, the header (who, the
// language switch, sign-out), the team choice.
import { loadSession, logout } from './api.js';
import { apply, lang, setLang, t } from './i18n.js';

export async function start() {
  apply();
  const session = await loadSession();
  const who = document.getElementById('who');
  if (who) who.textContent = t('signedInAs', { name: session.name, role: t(`role.${session.role}`) });
  const switcher = document.getElementById('lang-switch');
  if (switcher) {
    switcher.textContent = t('switch');
    switcher.lang = lang() === 'en' ? 'nb' : 'en';
    switcher.addEventListener('click', () => {
      setLang(lang() === 'en' ? 'nb' : 'en');
      location.reload();
    });
  }
  document.getElementById('logout')?.addEventListener('click', () => logout());
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === location.pathname) link.setAttribute('aria-current', 'page');
  }
  return session;
}

/** The team this page shows: `?team=` if it is one of the caller's, else the first. */
export function chosenTeam(session) {
  const asked = new URLSearchParams(location.search).get('team');
  return session.teams.find((team) => team.id === asked) ?? session.teams[0];
}

/** A team selector in `container` when the caller has more than one team. */
export function teamPicker(container, session, current) {
  if (session.teams.length < 2) return;
  const label = document.createElement('label');
  label.textContent = t('team') + ' ';
  const select = document.createElement('select');
  for (const team of session.teams) {
    const option = new Option(team.name, team.id, false, team.id === current.id);
    select.append(option);
  }
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('team', select.value);
    location.assign(url);
  });
  label.append(select);
  container.append(label);
}

/** Who did something: "you" for the signed-in person, else the subject. */
export function who(by, session) {
  return by?.subject === session.subject ? `${t('you')} (${session.name})` : (by?.subject ?? '?');
}
