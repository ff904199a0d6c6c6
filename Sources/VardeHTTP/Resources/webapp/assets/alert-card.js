// One alert as the feed and the patient page show it: colour (shape and
// word), rule, values, who did what when, and the steps a nurse may take
// from its state, each with an optional note.
import { ApiError, post } from './api.js';
import { el, severityBadge } from './badges.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { who } from './shell.js';

function limitText(alert) {
  if (alert.rule.startsWith('overdue.')) {
    const hours = (n) => `${new Intl.NumberFormat(document.documentElement.lang).format(Math.round(n))} h`;
    return t('alert.value', { value: hours(alert.worstValue), limit: hours(alert.limit) });
  }
  const kind = alert.rule === 'weight.gain' ? 'weight' : alert.measurement;
  return t('alert.value', { value: fmt.amount(kind, alert.worstValue), limit: fmt.amount(kind, alert.limit) });
}

function steps(alert, session) {
  const list = el('ul', { class: 'steps' }, el('li', { text: t('alert.raised', { time: fmt.time(alert.raisedAt) }) }));
  for (const step of ['acknowledged', 'escalated', 'resolved']) {
    const stamp = alert[step];
    if (!stamp) continue;
    let text = t(`alert.${step}`, { who: who(stamp.by, session), time: fmt.time(stamp.at) });
    if (step === 'resolved' && alert.resolution) text += ` ${t(`alert.resolution.${alert.resolution}`)}`;
    const item = el('li', { 'data-step': step, text: text.trim() });
    if (stamp.note) item.append(el('br'), el('q', { text: stamp.note }));
    list.append(item);
  }
  return list;
}

/** Why it was raised (the patient page's history has `explanation`). */
function explanation(alert) {
  const x = alert.explanation;
  if (!x) return null;
  const box = el('p', { class: 'explanation' });
  if (x.reading) {
    const limit = alert.rule === 'weight.gain' ? fmt.amount('weight', x.limit) : fmt.amount(alert.measurement, x.limit);
    box.append(t('explain.reading', {
      value: fmt.value(x.reading.value),
      time: fmt.time(x.reading.measuredAt), limit, severity: t(`severity.${x.severity}`), version: x.thresholdVersion,
    }));
    if (x.baseline) {
      box.append(' ', t('explain.baseline', {
        gain: `+${fmt.amount('weight', x.value)}`, kg: new Intl.NumberFormat(document.documentElement.lang).format(x.baseline.kg),
        time: fmt.time(x.baseline.measuredAt),
      }));
    }
    if (x.reading.voided) box.append(' ', el('strong', { text: t('explain.voided') }));
  } else if (x.overdueSince) {
    box.append(t('explain.overdue', { kind: fmt.kind(alert.measurement), time: fmt.time(x.overdueSince), limit: Math.round(x.limit) }));
  }
  return box;
}

/**
 * The card. `options`: session, patientLabel (text) and patientLink, cue
 * ('new' or 'changed' for a visible mark), onDone (after a step succeeded).
 */
export function alertCard(alert, options) {
  const { session, patientLabel, patientLink, cue, onDone } = options;
  const active = alert.state !== 'resolved';
  const headingID = `alert-${alert.id}-title`;
  const card = el('li', {
    class: `alert-card sev-${alert.severity}${cue ? ' fresh' : ''}`, 'data-alert-id': alert.id, 'data-state': alert.state,
    'aria-labelledby': headingID,
  });
  const head = el('div', { class: 'alert-head' },
    severityBadge(alert.severity),
    el('h3', { id: headingID, text: fmt.rule(alert.rule) }),
    el('span', { class: 'alert-state', 'data-field': 'state', text: t(`state.${alert.state}`) }));
  if (cue) head.append(el('span', { class: 'cue', 'data-cue': cue, text: t(cue === 'new' ? 'feed.new' : 'feed.changed') }));
  card.append(head);
  if (patientLabel) {
    card.append(el('p', {}, t('alert.patient', { patient: '' }), el('a', { href: patientLink, text: patientLabel })));
  }
  card.append(el('p', { text: limitText(alert) + (alert.breachCount > 1 ? ` · ${t('alert.breaches', { count: alert.breachCount })}` : '') }));
  const why = explanation(alert);
  if (why) card.append(why);
  card.append(steps(alert, session));
  if (!active) return card;

  const noteID = `note-${alert.id}-${Math.random().toString(36).slice(2, 8)}`;
  const note = el('textarea', { id: noteID, rows: 2, maxlength: 2000 });
  const feedback = el('p', { role: 'status', class: 'muted' });
  const act = async (action, button) => {
    for (const b of card.querySelectorAll('button')) b.disabled = true;
    // Emptied before the request: the feed may draw this card again (carrying
    // a draft over) before the answer arrives, and the note is the step's now.
    const text = note.value.trim();
    note.value = '';
    try {
      await post(`/v1/alerts/${alert.id}/${action}`, text ? { note: text } : {});
      feedback.textContent = t('alert.done');
      feedback.classList.remove('error');
      onDone?.(action);
    } catch (error) {
      const detail = error instanceof ApiError ? error.message : String(error);
      feedback.textContent = t('error.action', { detail });
      feedback.classList.add('error');
      note.value = text;
      for (const b of card.querySelectorAll('button')) b.disabled = false;
      button.focus();
    }
  };
  const button = (action, allowed) => {
    if (!allowed) return null;
    const b = el('button', { type: 'button', 'data-action': action, text: t(`alert.${action}`) });
    b.addEventListener('click', () => act(action, b));
    return b;
  };
  card.append(el('div', { class: 'actions' },
    el('div', { class: 'note' }, el('label', { for: noteID, text: t('alert.note') }), note),
    button('acknowledge', alert.state === 'open' || alert.state === 'escalated'),
    button('escalate', alert.state === 'open' || alert.state === 'acknowledged'),
    button('resolve', true)), feedback);
  return card;
}
