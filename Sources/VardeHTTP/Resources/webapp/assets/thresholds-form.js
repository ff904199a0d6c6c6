// For clinicians: the patient's thresholds (a new version, with a reason)
// and the alert routing, through PUT /v1/patients/{id}/thresholds and /routing.
import { ApiError, put } from './api.js';
import { el } from './badges.js';
import { t } from './i18n.js';

const bounds = ['spo2Low', 'systolicLow', 'systolicHigh', 'diastolicHigh', 'pulseLow', 'pulseHigh', 'temperatureLow', 'temperatureHigh'];

function numberInput(id, value) {
  return el('input', { id, type: 'number', step: 'any', value: value ?? '', inputmode: 'decimal' });
}

function feedbackFor(error) {
  const detail = error instanceof ApiError ? (error.problem?.errors?.map((e) => `${e.pointer}: ${e.detail}`).join('; ') || error.message) : String(error);
  return t('error.action', { detail });
}

export function clinicianTools(container, patientID, view, reload) {
  const current = view.thresholds;
  const fieldsets = bounds.map((name) => el('fieldset', {},
    el('legend', { text: t(`bound.${name}`) }),
    el('div', { class: 'pair' },
      el('label', { for: `th-${name}-yellow` }, t('patient.yellow'), numberInput(`th-${name}-yellow`, current[name]?.yellow)),
      el('label', { for: `th-${name}-red` }, t('patient.red'), numberInput(`th-${name}-red`, current[name]?.red)))));
  const gain = current.weightGain;
  const window = gain?.windowDays ?? 3;
  fieldsets.push(el('fieldset', {},
    el('legend', { text: t('bound.weightGain', { days: window }) }),
    el('div', { class: 'pair' },
      el('label', { for: 'th-gain-yellow' }, t('patient.yellow'), numberInput('th-gain-yellow', gain?.yellowKg)),
      el('label', { for: 'th-gain-red' }, t('patient.red'), numberInput('th-gain-red', gain?.redKg)))));
  const reason = el('input', { id: 'th-reason', type: 'text', required: true, maxlength: 500 });
  const feedback = el('p', { role: 'status' });
  const form = el('form', { class: 'thresholds-form', id: 'thresholds-form' },
    el('h3', { text: t('patient.editThresholds') }), ...fieldsets,
    el('label', { for: 'th-reason' }, t('patient.reason'), ' ', reason),
    el('p', {}, el('button', { type: 'submit', class: 'primary', text: t('patient.save') })), feedback);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const read = (id) => {
      const text = form.querySelector(`#${id}`).value.trim();
      return text === '' ? null : Number(text);
    };
    const thresholds = { expected: current.expected ?? [] };
    for (const name of bounds) {
      const bound = { yellow: read(`th-${name}-yellow`), red: read(`th-${name}-red`) };
      if (bound.yellow != null || bound.red != null) thresholds[name] = bound;
    }
    const yellowKg = read('th-gain-yellow'), redKg = read('th-gain-red');
    if (yellowKg != null || redKg != null) thresholds.weightGain = { yellowKg, redKg, windowDays: window };
    try {
      await put(`/v1/patients/${patientID}/thresholds`, { thresholds, reason: reason.value.trim() });
      await reload();
    } catch (error) {
      feedback.textContent = feedbackFor(error);
      feedback.className = 'error';
    }
  });

  const routing = el('select', { id: 'routing' },
    ...['standard', 'yellowAlsoToSykehus', 'redOnlyKommune'].map((r) => new Option(t(`routing.${r}`), r, false, r === view.routing)));
  const routingFeedback = el('p', { role: 'status' });
  const routingForm = el('form', { id: 'routing-form' },
    el('h3', { text: t('patient.routing') }),
    el('label', { for: 'routing' }, t('patient.routing'), ' ', routing),
    el('p', {}, el('button', { type: 'submit', text: t('patient.saveRouting') })), routingFeedback);
  routingForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await put(`/v1/patients/${patientID}/routing`, { routing: routing.value });
      await reload();
    } catch (error) {
      routingFeedback.textContent = feedbackFor(error);
      routingFeedback.className = 'error';
    }
  });
  container.replaceChildren(form, routingForm);
}
