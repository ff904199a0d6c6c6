// Values, times and ages as a Norwegian (or English) nurse reads them.
import { lang, t } from './i18n.js';

const locale = () => (lang() === 'en' ? 'en-GB' : 'nb-NO');
const zone = 'Europe/Oslo';

export const units = { spo2: '%', bloodPressure: 'mmHg', weight: 'kg', pulse: '/min', temperature: '°C' };

function number(value, digits) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

/** A MeasurementValue ({kind, value} or {kind, systolic, diastolic, pulse}) with its unit. */
export function value(v) {
  if (!v) return '–';
  switch (v.kind) {
    case 'bloodPressure':
      return `${number(v.systolic, 0)}/${number(v.diastolic, 0)} mmHg` + (v.pulse != null ? `, ${number(v.pulse, 0)} /min` : '');
    case 'weight': return `${number(v.value, 1)} kg`;
    case 'temperature': return `${number(v.value, 1)} °C`;
    case 'spo2': return `${number(v.value, 0)} %`;
    case 'pulse': return `${number(v.value, 0)} /min`;
    default: return number(v.value, 1);
  }
}

/** A bare number in a kind's unit (limits, worst values). */
export function amount(kind, n) {
  const digits = kind === 'weight' || kind === 'temperature' ? 1 : 0;
  return `${number(n, digits)} ${units[kind] ?? ''}`.trim();
}

export function time(instant) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: zone }).format(new Date(instant));
}

export function clock(date) {
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: zone }).format(date);
}

export function day(date) {
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: zone }).format(date);
}

/** How long before `now` (a Date) `instant` was: "for 3 timer siden" / "3 hours ago". */
export function age(instant, now) {
  const seconds = (new Date(instant).getTime() - now.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto', style: 'short' });
  const abs = Math.abs(seconds);
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 48 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** A fødselsnummer or D-nummer as written: DDMMYY NNNNN. */
export function nationalId(text) {
  return /^\d{11}$/.test(text || '') ? `${text.slice(0, 6)} ${text.slice(6)}` : (text || '');
}

export function kind(k) { return t(`kind.${k}`); }

export function rule(r) {
  if (r.startsWith('overdue.')) return t('rule.overdue', { kind: kind(r.slice(8)) });
  return t(`rule.${r}`);
}
