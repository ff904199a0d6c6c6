// One SVG chart per measurement kind, drawn here (no library): the readings
// of the period as a line with points, the threshold bands of the version in
// force at each time shaded behind them, readings that raised an alert drawn
// as a triangle (red) or diamond (yellow), voided readings hollow and struck
// through (and left out of the line).
import * as fmt from './format.js';
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 720, H = 240, M = { left: 52, right: 12, top: 12, bottom: 28 };

/** The bounds shaded for each kind (low: at or below breaches; high: at or above). */
const shaded = {
  spo2: [['spo2Low', 'low']],
  pulse: [['pulseLow', 'low'], ['pulseHigh', 'high']],
  temperature: [['temperatureLow', 'low'], ['temperatureHigh', 'high']],
  bloodPressure: [['systolicLow', 'low'], ['systolicHigh', 'high']],
  weight: [],
};
/** Bounds drawn as a dashed line instead (diastolic, in the blood-pressure chart). */
const lines = { bloodPressure: [['diastolicHigh', 'high']] };

function node(name, attrs = {}, text) {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

/** The series of a reading: [[series, number], …]. */
function values(reading) {
  const v = reading.value;
  return v.kind === 'bloodPressure' ? [['systolic', v.systolic], ['diastolic', v.diastolic]] : [['value', v.value]];
}

/** The threshold versions over [from, to): [{start, end, thresholds, version}]. */
function segments(versions, from, to) {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const out = [];
  sorted.forEach((v, i) => {
    const start = new Date(v.inForceFrom);
    const end = i + 1 < sorted.length ? new Date(sorted[i + 1].inForceFrom) : to;
    const s = start < from ? from : start, e = end > to ? to : end;
    if (s < e) out.push({ start: s, end: e, thresholds: v.thresholds, version: v.version });
  });
  return out;
}

function ticks(min, max, count) {
  const step = Math.pow(10, Math.floor(Math.log10((max - min) / count)));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (max - min) / s <= count) ?? step * 10;
  const out = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max; v += nice) out.push(Number(v.toFixed(6)));
  return out;
}

/** Ticks of the time axis: days over a long span, times of day over two days or less. */
function timeTicks(from, to) {
  const span = to - from;
  if (span > 2 * 86_400_000) {
    const days = span / 86_400_000;
    const every = (days <= 8 ? 1 : days <= 31 ? 7 : 14) * 86_400_000;
    const out = [];
    for (let ms = from.getTime(); ms <= to.getTime(); ms += every) out.push([new Date(ms), fmt.day(new Date(ms))]);
    return out;
  }
  const step = [60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000].find((s) => span / s <= 6);
  if (!step) return [[from, fmt.clock(from)], [to, fmt.clock(to)]];
  const out = [];
  for (let ms = Math.ceil(from.getTime() / step) * step; ms <= to.getTime(); ms += step) out.push([new Date(ms), fmt.clock(new Date(ms))]);
  return out.length ? out : [[from, fmt.clock(from)], [to, fmt.clock(to)]];
}

/**
 * `readings`: this kind's readings of the period ({eventId, value, measuredAt, voided});
 * `versions`: every threshold version; `raised`: reading id → the worst alert colour it raised.
 */
export function chart(kind, readings, versions, raised, from, to) {
  const id = `chart-${kind}`;
  const parts = segments(versions, from, to);
  const bounds = [...(shaded[kind] ?? []), ...(lines[kind] ?? [])];
  const numbers = readings.flatMap((r) => values(r).map(([, n]) => n));
  for (const part of parts) {
    for (const [name] of bounds) {
      const b = part.thresholds[name];
      if (b?.yellow != null) numbers.push(b.yellow);
      if (b?.red != null) numbers.push(b.red);
    }
  }
  let low = Math.min(...numbers), high = Math.max(...numbers);
  if (!isFinite(low)) { low = 0; high = 1; }
  const pad = Math.max((high - low) * 0.12, kind === 'temperature' ? 0.3 : 1);
  low -= pad; high += pad;
  if (kind === 'spo2') high = Math.min(high, 101);

  const x = (date) => M.left + ((new Date(date) - from) / (to - from)) * (W - M.left - M.right);
  const y = (n) => M.top + (1 - (n - low) / (high - low)) * (H - M.top - M.bottom);
  const top = M.top, bottom = H - M.bottom;

  const svg = node('svg', { viewBox: `0 0 ${W} ${H}`, class: 'plot', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, 'data-kind': kind });
  svg.append(
    node('title', { id: `${id}-title` }, fmt.kind(kind)),
    node('desc', { id: `${id}-desc` }, t('chart.desc', { kind: fmt.kind(kind), count: readings.length, from: fmt.day(from), to: fmt.day(to) })));

  // Bands: for each version's time span, the red and yellow regions of each bound.
  for (const part of parts) {
    const x0 = x(part.start), x1 = x(part.end);
    for (const [name, direction] of shaded[kind] ?? []) {
      const b = part.thresholds[name];
      if (!b) continue;
      const levels = [['red', b.red], ['yellow', b.yellow]].filter(([, limit]) => limit != null);
      for (const [level, limit] of levels) {
        // Low: from the limit down (yellow stops at red); high: from the limit up.
        const other = level === 'yellow' ? b.red : null;
        let y0, y1;
        if (direction === 'low') { y0 = y(limit); y1 = other != null ? y(other) : bottom; }
        else { y1 = y(limit); y0 = other != null ? y(other) : top; }
        const [a, c] = [Math.max(top, Math.min(y0, y1)), Math.min(bottom, Math.max(y0, y1))];
        if (c <= a) continue;
        svg.append(node('rect', {
          class: `band band-${level}`, x: x0, y: a, width: Math.max(0, x1 - x0), height: c - a,
          'data-bound': name, 'data-direction': direction, 'data-level': level, 'data-limit': limit, 'data-version': part.version,
          'data-from': part.start.toISOString(), 'data-to': part.end.toISOString(),
        }));
      }
    }
    for (const [name] of lines[kind] ?? []) {
      const b = part.thresholds[name];
      for (const level of ['yellow', 'red']) {
        if (b?.[level] == null) continue;
        svg.append(node('line', { class: 'limit-line', x1: x0, x2: x1, y1: y(b[level]), y2: y(b[level]), 'data-bound': name, 'data-level': level, 'data-limit': b[level] }));
      }
    }
  }

  // Axes and grid.
  for (const v of ticks(low, high, 5)) {
    svg.append(node('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }));
    svg.append(node('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, new Intl.NumberFormat(document.documentElement.lang).format(v)));
  }
  for (const [d, label] of timeTicks(from, to)) {
    svg.append(node('line', { class: 'axis', x1: x(d), x2: x(d), y1: bottom, y2: bottom + 4 }));
    svg.append(node('text', { x: x(d), y: H - 8, 'text-anchor': 'middle' }, label));
  }
  svg.append(node('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: bottom, y2: bottom }));
  svg.append(node('line', { class: 'axis', x1: M.left, x2: M.left, y1: top, y2: bottom }));

  // Lines through the readings that stand, then every point.
  const ordered = [...readings].sort((a, b) => new Date(a.measuredAt) - new Date(b.measuredAt));
  const series = kind === 'bloodPressure' ? ['systolic', 'diastolic'] : ['value'];
  series.forEach((name, i) => {
    const standing = ordered.filter((r) => !r.voided);
    if (standing.length < 2) return;
    const d = standing.map((r, j) => `${j ? 'L' : 'M'}${x(r.measuredAt).toFixed(1)} ${y(values(r).find(([s]) => s === name)[1]).toFixed(1)}`).join(' ');
    svg.append(node('path', { class: `series${i ? ' second' : ''}`, d }));
  });
  for (const r of ordered) {
    for (const [name, n] of values(r)) {
      const cx = x(r.measuredAt), cy = y(n);
      const alert = raised.get(r.eventId);
      const label = `${fmt.value(r.value)} – ${fmt.time(r.measuredAt)}`
        + (alert ? ` – ${t('patient.raisedAlert', { severity: t(`severity.${alert}`) })}` : '')
        + (r.voided ? ` – ${t('patient.voided')}` : '');
      const g = node('g', { class: 'reading', 'data-reading-id': r.eventId, 'data-series': name, 'data-value': n, 'data-x': cx.toFixed(2), 'data-y': cy.toFixed(2), 'data-alert': alert, 'data-voided': r.voided ? 'true' : null });
      g.append(node('title', {}, label));
      const second = name === 'diastolic' ? ' second' : '';
      if (r.voided) {
        g.append(node('circle', { class: 'point voided', cx, cy, r: 5 }), node('line', { class: 'strike', x1: cx - 8, x2: cx + 8, y1: cy, y2: cy }));
      } else if (alert === 'red') {
        g.append(node('path', { class: 'point alert-red', d: `M${cx} ${cy - 8} L${cx + 7} ${cy + 5} L${cx - 7} ${cy + 5} Z` }));
      } else if (alert === 'yellow') {
        g.append(node('path', { class: 'point alert-yellow', d: `M${cx} ${cy - 7} L${cx + 7} ${cy} L${cx} ${cy + 7} L${cx - 7} ${cy} Z` }));
      } else {
        g.append(node('circle', { class: `point${second}`, cx, cy, r: 4 }));
      }
      svg.append(g);
    }
  }
  return svg;
}
