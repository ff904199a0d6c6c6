// The team's live alert feed. Follows GET /v1/teams/{id}/alerts with the
// last cursor it got (a long poll, wait=25): a new or changed alert shows
// as soon as the server has it, marked "Nytt"/"Endret" and announced to
// screen readers. A failed poll shows the connection as lost and is retried
// from the same cursor, so no change is ever skipped or shown twice.
import { get } from './api.js';
import { el } from './badges.js';
import { alertCard } from './alert-card.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { chosenTeam, start, teamPicker } from './shell.js';

const session = await start();
const team = chosenTeam(session);
teamPicker(document.getElementById('team-choice'), session, team);
const connection = document.getElementById('connection');
const announcer = document.getElementById('announcer');
const lists = { active: document.getElementById('active'), resolved: document.getElementById('resolved') };
const empty = {
  active: el('p', { class: 'muted', id: 'active-empty', text: t('feed.none') }),
  resolved: el('p', { class: 'muted', id: 'resolved-empty', text: t('feed.noneResolved') }),
};
lists.active.after(empty.active);
lists.resolved.after(empty.resolved);
document.getElementById('active-title').tabIndex = -1;

const alerts = new Map(); // id → { item, cue }
const cards = new Map(); // id → the card element
const labels = new Map(); // patient id → national identifier, from the worklist
let labelsLoaded = 0;

async function loadLabels() {
  if (Date.now() - labelsLoaded < 5000) return;
  labelsLoaded = Date.now();
  try {
    const worklist = await get(`/v1/teams/${team.id}/patients`);
    for (const p of worklist.patients) labels.set(p.patientId ?? p.id, fmt.nationalId(p.nationalId));
  } catch { /* labels fall back to the patient id */ }
}

const rank = { red: 0, yellow: 1 };
function before(a, b) {
  if (a.state === 'resolved') return (b.resolved?.at ?? '') < (a.resolved?.at ?? '');
  return rank[a.severity] !== rank[b.severity] ? rank[a.severity] < rank[b.severity] : a.raisedAt < b.raisedAt;
}

function setConnected(ok) {
  connection.className = `connection ${ok ? 'ok' : 'lost'}`;
  connection.dataset.state = ok ? 'connected' : 'lost';
  connection.textContent = t(ok ? 'feed.connected' : 'feed.lost');
}

function place(id) {
  const { item, cue } = alerts.get(id);
  const old = cards.get(id);
  const note = old?.querySelector('textarea')?.value;
  const focused = old?.contains(document.activeElement) ? document.activeElement : null;
  const card = alertCard(item, {
    session, cue, patientLabel: labels.get(item.patientId) ?? item.patientId, patientLink: `/app/patients/${item.patientId}`,
    onDone: () => { if (card.contains(document.activeElement)) document.getElementById('active-title').focus(); },
  });
  if (note) card.querySelector('textarea') && (card.querySelector('textarea').value = note);
  const list = item.state === 'resolved' ? lists.resolved : lists.active;
  old?.remove();
  const next = [...list.children].find((c) => before(item, alerts.get(c.dataset.alertId).item));
  list.insertBefore(card, next ?? null);
  cards.set(id, card);
  if (focused) {
    const again = focused.dataset.action ? card.querySelector(`[data-action="${focused.dataset.action}"]`) : card.querySelector('textarea');
    (again ?? card.querySelector('button') ?? document.getElementById('active-title')).focus();
  }
  if (cue) setTimeout(() => card.querySelector('.cue')?.remove(), 120_000);
  while (lists.resolved.children.length > 20) {
    const last = lists.resolved.lastElementChild;
    alerts.delete(last.dataset.alertId);
    cards.delete(last.dataset.alertId);
    last.remove();
  }
  for (const name of ['active', 'resolved']) empty[name].hidden = lists[name].children.length > 0;
}

function take(entry, live) {
  const gone = !entry.teams.includes(team.id);
  if (gone) {
    cards.get(entry.id)?.remove();
    cards.delete(entry.id);
    alerts.delete(entry.id);
    return;
  }
  const cue = live ? (entry.change === 'raised' ? 'new' : 'changed') : null;
  alerts.set(entry.id, { item: entry, cue });
  if (!live) return;
  place(entry.id);
  const patient = labels.get(entry.patientId) ?? '';
  announcer.textContent = cue === 'new'
    ? t('feed.announceNew', { severity: t(`severity.${entry.severity}`), rule: fmt.rule(entry.rule), patient })
    : t('feed.announceChanged', { rule: fmt.rule(entry.rule), patient, state: t(`state.${entry.state}`) });
}

await loadLabels();
let cursor = null;
let catchingUp = true;
let pause = 1000;
for (;;) {
  const wait = catchingUp ? 0 : 25;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), (wait + 15) * 1000);
  try {
    const query = new URLSearchParams({ limit: '500', wait: String(wait) });
    if (cursor) query.set('after', cursor);
    const page = await get(`/v1/teams/${team.id}/alerts?${query}`, abort.signal);
    setConnected(true);
    pause = 1000;
    if (!catchingUp && page.alerts.some((a) => !labels.has(a.patientId))) await loadLabels();
    for (const entry of page.alerts) take(entry, !catchingUp);
    cursor = page.next;
    if (catchingUp && page.alerts.length < 500) {
      catchingUp = false;
      // The feed so far, drawn once: the latest state of each alert.
      for (const id of alerts.keys()) place(id);
      for (const name of ['active', 'resolved']) empty[name].hidden = lists[name].children.length > 0;
    }
  } catch (error) {
    if (error.status === 401) break;
    setConnected(false);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 8000);
  } finally {
    clearTimeout(timer);
  }
}
