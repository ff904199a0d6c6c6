// A state is never shown by colour alone: every badge has a shape and a word.
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';

/** The shape of each state: triangle red, diamond yellow, clock overdue, check green. */
export function shape(state, size = 14) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('shape', `shape-${state}`);
  const add = (name, attrs) => {
    const el = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    svg.append(el);
  };
  switch (state) {
    case 'red': add('path', { d: 'M8 1 L15 14 L1 14 Z' }); break;
    case 'yellow': add('path', { d: 'M8 1 L15 8 L8 15 L1 8 Z' }); break;
    case 'overdue':
      add('circle', { cx: 8, cy: 8, r: 6.5, fill: 'none', 'stroke-width': 2 });
      add('path', { d: 'M8 4 V8 L11 10', fill: 'none', 'stroke-width': 2 });
      break;
    default: add('path', { d: 'M2 8 L6 12 L14 3', fill: 'none', 'stroke-width': 2.5 });
  }
  return svg;
}

/** A badge for a worklist state (red, yellow, overdue, green). */
export function triageBadge(state) {
  const span = document.createElement('span');
  span.className = `badge badge-${state}`;
  span.append(shape(state), document.createTextNode(t(`triage.${state}`)));
  return span;
}

/** A badge for an alert's colour (red, yellow). */
export function severityBadge(severity) {
  const span = document.createElement('span');
  span.className = `badge badge-${severity}`;
  span.append(shape(severity), document.createTextNode(t(`severity.${severity}`)));
  return span;
}

/** An element with text, the small helper every page uses. */
export function el(name, attrs = {}, ...children) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) if (child != null) node.append(child);
  return node;
}
