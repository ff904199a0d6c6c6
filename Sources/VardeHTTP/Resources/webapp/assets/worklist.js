// The team's worklist: worst first (red, yellow, overdue, green), the latest
// value of each measurement and how long ago, overdue measurements marked,
// open alerts counted; filtered by programme and state. Read again every
// 30 seconds.
import { get } from './api.js';
import { el, shape, triageBadge } from './badges.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { chosenTeam, start, teamPicker } from './shell.js';

const session = await start();
const team = chosenTeam(session);
teamPicker(document.getElementById('team-choice'), session, team);
const status = document.getElementById('status');
const container = document.getElementById('worklist');
const programFilter = document.getElementById('program-filter');
const stateFilter = document.getElementById('state-filter');
const params = new URLSearchParams(location.search);
programFilter.value = params.get('program') ?? '';
stateFilter.value = params.get('state') ?? '';
let last = null;

for (const select of [programFilter, stateFilter]) {
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    for (const [name, value] of [['program', programFilter.value], ['state', stateFilter.value]]) {
      if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    }
    history.replaceState(null, '', url);
    if (last) render(last);
  });
}

function latestList(patient, asOf) {
  const kinds = [...new Set([...patient.expected, ...Object.keys(patient.latest)])];
  const overdue = new Map(patient.overdue.map((o) => [o.kind, o]));
  const list = el('ul', { class: 'latest' });
  for (const kind of kinds) {
    const latest = patient.latest[kind];
    const item = el('li', {}, el('strong', { text: `${fmt.kind(kind)}: ` }));
    if (latest) {
      item.append(`${fmt.value(latest.value)} `, el('span', { class: 'muted', text: `(${fmt.age(latest.measuredAt, asOf)})` }));
    } else {
      item.append(el('span', { class: 'muted', text: t('worklist.noReading') }));
    }
    if (overdue.has(kind)) {
      item.append(' ', el('span', { class: 'mark-overdue', 'data-overdue': kind }, shape('overdue', 13), t('overdue')));
    }
    list.append(item);
  }
  return list;
}

function render(body) {
  last = body;
  const asOf = new Date(body.asOf);
  const shown = body.patients.filter(
    (p) => (!programFilter.value || p.program === programFilter.value) && (!stateFilter.value || p.triage === stateFilter.value));
  const rows = shown.map((p) =>
    el('tr', { class: `row-${p.triage}`, 'data-patient': p.id, 'data-triage': p.triage },
      el('td', {}, triageBadge(p.triage)),
      el('th', { scope: 'row' }, el('a', { href: `/app/patients/${p.id}`, text: fmt.nationalId(p.nationalId) })),
      el('td', { text: t(`program.${p.program}`) }),
      el('td', {}, latestList(p, asOf)),
      el('td', { text: String(p.openAlerts) })));
  const table = el('table', { id: 'worklist-table' },
    el('caption', { text: t('worklist.caption', { team: team.name }) }),
    el('thead', {}, el('tr', {},
      ...['worklist.state', 'worklist.patient', 'worklist.program', 'worklist.latest', 'worklist.openAlerts']
        .map((key) => el('th', { scope: 'col', text: t(key) })))),
    el('tbody', {}, rows));
  container.replaceChildren(shown.length ? table : el('p', { text: t('worklist.empty') }));
  status.textContent = `${t('worklist.count', { shown: shown.length, total: body.patients.length })} · ${t('updated', { time: fmt.clock(new Date()) })}`;
  status.classList.remove('error');
}

async function refresh() {
  try {
    render(await get(`/v1/teams/${team.id}/patients`));
  } catch (error) {
    if (error.status === 401) return;
    status.textContent = t('error.load', { status: error.status ?? '–' });
    status.classList.add('error');
  }
}

await refresh();
setInterval(refresh, 30_000);
