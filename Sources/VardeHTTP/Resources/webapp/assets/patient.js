// The patient page: a chart per measurement kind for 7, 30 or 90 days with
// the threshold bands of each time, the readings as a table (voiding one
// with a reason), the alert history with why each alert was raised, the
// threshold versions, and for clinicians the thresholds and routing forms.
import { ApiError, get, post } from './api.js';
import { alertCard } from './alert-card.js';
import { el, triageBadge } from './badges.js';
import { chart } from './chart.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { start, who } from './shell.js';
import { clinicianTools } from './thresholds-form.js';

const session = await start();
const patientID = location.pathname.split('/').pop();
const status = document.getElementById('status');
const order = ['spo2', 'pulse', 'bloodPressure', 'weight', 'temperature'];
const params = new URLSearchParams(location.search);
let days = [7, 30, 90].includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;

const periods = document.getElementById('periods');
for (const n of [7, 30, 90]) {
  const button = el('button', { type: 'button', 'aria-pressed': String(n === days), 'data-days': n, text: t('patient.days', { days: n }) });
  button.addEventListener('click', () => {
    days = n;
    for (const b of periods.querySelectorAll('button')) b.setAttribute('aria-pressed', String(Number(b.dataset.days) === n));
    const url = new URL(location.href);
    url.searchParams.set('days', n);
    history.replaceState(null, '', url);
    load();
  });
  periods.append(button);
}

function voidForm(reading, cell) {
  const id = `void-${reading.eventId}`;
  const input = el('input', { id, type: 'text', required: true, maxlength: 500 });
  const feedback = el('span', { role: 'status' });
  const form = el('form', { class: 'void-form' },
    el('label', { for: id, text: t('patient.voidReason') }), input,
    el('button', { type: 'submit', class: 'primary', text: t('patient.voidConfirm') }),
    el('button', { type: 'button', text: t('patient.cancel'), onclick: () => { form.remove(); cell.querySelector('button')?.focus(); } }),
    feedback);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await post(`/v1/readings/${reading.eventId}/void`, { reason: input.value.trim() });
      await load();
      status.focus();
    } catch (error) {
      feedback.textContent = t('error.action', { detail: error instanceof ApiError ? error.message : String(error) });
      feedback.className = 'error';
    }
  });
  cell.append(form);
  input.focus();
}

function table(kind, readings, raised) {
  const rows = [...readings].sort((a, b) => new Date(b.measuredAt) - new Date(a.measuredAt)).map((r) => {
    const alert = raised.get(r.eventId);
    const valueCell = r.voided ? el('td', {}, el('del', { text: fmt.value(r.value) })) : el('td', { text: fmt.value(r.value) });
    const marks = [alert && t('patient.raisedAlert', { severity: t(`severity.${alert}`) }), r.voided && t('patient.voided')].filter(Boolean);
    const action = el('td');
    if (!r.voided) {
      action.append(el('button', {
        type: 'button', 'data-void': r.eventId, 'aria-label': `${t('patient.void')}: ${fmt.value(r.value)}, ${fmt.time(r.measuredAt)}`,
        text: t('patient.void'), onclick: (event) => { event.currentTarget.hidden = true; voidForm(r, action); },
      }));
    }
    return el('tr', { 'data-reading-id': r.eventId }, el('td', { text: fmt.time(r.measuredAt) }), valueCell, el('td', { text: marks.join(', ') }), action);
  });
  return el('details', {},
    el('summary', { text: `${t('patient.table')} (${fmt.kind(kind)})` }),
    el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, ...['patient.time', 'patient.value', 'patient.mark'].map((k) => el('th', { scope: 'col', text: t(k) })),
        el('th', { scope: 'col', text: t('patient.void') }))),
      el('tbody', {}, rows))));
}

async function load() {
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  try {
    const [view, list, history, thresholds] = await Promise.all([
      get(`/v1/patients/${patientID}`),
      get(`/v1/patients/${patientID}/readings?from=${encodeURIComponent(from.toISOString())}`),
      get(`/v1/patients/${patientID}/alerts`),
      get(`/v1/patients/${patientID}/thresholds`),
    ]);
    document.title = `${fmt.nationalId(view.nationalId)} – Varde`;
    document.getElementById('patient-name').textContent = fmt.nationalId(view.nationalId);
    document.getElementById('patient-facts').replaceChildren(
      `${t('patient.program')}: ${t(`program.${view.program}`)} · ${view.kommunenummer} · ${t('patient.status')}: `, triageBadge(view.status));

    const raised = new Map();
    for (const a of history.alerts) {
      for (const id of a.readings) if (raised.get(id) !== 'red') raised.set(id, a.severity);
    }
    const expected = (view.thresholds.expected ?? []).map((e) => e.kind);
    const kinds = order.filter((k) => expected.includes(k) || list.readings.some((r) => r.kind === k));
    // The period, or the time since enrolment when that is shorter: nothing was measured before.
    const since = view.enrolledAt && new Date(view.enrolledAt) > from ? new Date(view.enrolledAt) : from;
    const charts = kinds.map((kind) => {
      const readings = list.readings.filter((r) => r.kind === kind);
      return el('figure', { class: 'chart', 'data-kind': kind },
        el('figcaption', { text: `${fmt.kind(kind)} (${fmt.units[kind]})` }),
        readings.length ? chart(kind, readings, thresholds.versions, raised, since, to) : el('p', { class: 'muted', text: t('patient.noReadings') }),
        el('p', { class: 'legend', text: t('chart.legendAlert') }),
        readings.length ? table(kind, readings, raised) : null);
    });
    document.getElementById('charts').replaceChildren(...(charts.length ? charts : [el('p', { text: t('patient.noReadings') })]));

    const alerts = history.alerts.map((a) => alertCard(a, { session, onDone: () => load() }));
    document.getElementById('alert-history').replaceChildren(...(alerts.length ? alerts : [el('li', { class: 'muted', text: t('patient.noAlerts') })]));
    document.getElementById('threshold-history').replaceChildren(...thresholds.versions.map((v) =>
      el('li', { text: t('patient.version', { version: v.version, time: fmt.time(v.inForceFrom), reason: v.reason, who: who(v.by, session) }) })));
    if (session.role === 'clinician') clinicianTools(document.getElementById('clinician-tools'), patientID, view, load);
    status.textContent = t('updated', { time: fmt.clock(new Date()) });
    status.classList.remove('error');
  } catch (error) {
    if (error.status === 401) return;
    status.textContent = t('error.load', { status: error.status ?? '–' });
    status.classList.add('error');
  }
}

status.tabIndex = -1;
await load();
