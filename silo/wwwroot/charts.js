// The console's two pictures, drawn as inline SVG: a milestone timeline and the ranking bar chart.
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) {
      el.setAttribute(k, String(v));
    }
  }
  for (const c of children) {
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** Days since 1970-01-01 of an ISO date (yyyy-MM-dd), or null. */
export function dayNumber(iso) {
  if (!iso) {
    return null;
  }
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

function isoOf(day) {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/** What a milestone's actual date says against its plan, as of today. */
export function milestoneStatus(m, today) {
  const planned = dayNumber(m.plannedDate);
  const actual = dayNumber(m.actualDate);
  if (actual !== null) {
    const late = actual - planned;
    if (late > 0) {
      return { status: 'late', days: late, text: t('lateDays', late) };
    }
    return late < 0
      ? { status: 'early', days: -late, text: t('earlyDays', -late) }
      : { status: 'onTime', days: 0, text: t('onTime') };
  }
  if (planned < today) {
    return { status: 'overdue', days: today - planned, text: t('overdueDays', today - planned) };
  }
  return { status: 'notDue', days: 0, text: t('notDue') };
}

/**
 * 节点计划 against actuals: one row per milestone, a hollow dot at the planned date, a filled dot at the actual date
 * (or a dashed line to today while it is overdue), and a line at today.
 */
export function milestoneTimeline(milestones, todayIso) {
  const today = dayNumber(todayIso);
  const rows = [...milestones].sort((a, b) => dayNumber(a.plannedDate) - dayNumber(b.plannedDate));
  const days = [today, ...rows.flatMap(m => [dayNumber(m.plannedDate), dayNumber(m.actualDate)]).filter(d => d !== null)];
  let from = Math.min(...days);
  let to = Math.max(...days);
  const span = Math.max(to - from, 60);
  const pad = Math.round(span * 0.08) + 3;
  from -= pad;
  to = from + span + 2 * pad;

  const width = 720;
  const left = 128;
  const right = 24;
  const top = 30;
  const rowHeight = 36;
  const height = top + rows.length * rowHeight + 34;
  const x = d => left + ((d - from) / (to - from)) * (width - left - right);

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'timeline', role: 'img',
    'aria-label': t('milestonePlan'), 'data-testid': 'milestone-timeline', preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(s('title', {}, t('milestonePlan')));

  // Month ticks along the top.
  const axis = s('g', { class: 'axis' });
  const start = new Date(from * 86400000);
  const months = [];
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth() + 1; ; m++) {
    if (m > 11) {
      y++;
      m = 0;
    }
    const d = Date.UTC(y, m, 1) / 86400000;
    if (d > to) {
      break;
    }
    months.push(d);
  }
  const every = Math.max(1, Math.ceil(months.length / 8));
  months.forEach((d, i) => {
    axis.append(s('line', { x1: x(d), x2: x(d), y1: top - 6, y2: height - 28, class: 'grid' }));
    if (i % every === 0 && x(d) < width - right - 48) {
      axis.append(s('text', { x: x(d) + 3, y: top - 12, class: 'tick' }, isoOf(d).slice(0, 7)));
    }
  });
  svg.append(axis);

  rows.forEach((m, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const info = milestoneStatus(m, today);
    const planned = dayNumber(m.plannedDate);
    const actual = dayNumber(m.actualDate);
    const g = s('g', { class: `row ${info.status}`, 'data-testid': 'timeline-row', 'data-milestone': m.name, 'data-status': info.status });
    g.append(s('title', {}, `${m.name}: ${t('planned')} ${m.plannedDate}${m.actualDate ? `, ${t('actual')} ${m.actualDate}` : ''} — ${info.text}`));
    g.append(s('line', { x1: left - 4, x2: width - right, y1: y, y2: y, class: 'lane' }));
    g.append(s('text', { x: left - 10, y: y + 4, 'text-anchor': 'end', class: 'label' }, m.name));
    if (actual !== null) {
      g.append(s('line', { x1: x(planned), x2: x(actual), y1: y, y2: y, class: 'slip' }));
      g.append(s('circle', { cx: x(planned), cy: y, r: 6, class: 'planned' }));
      g.append(s('circle', { cx: x(actual), cy: y, r: 6, class: 'actual' }));
    } else {
      if (info.status === 'overdue') {
        g.append(s('line', { x1: x(planned), x2: x(today), y1: y, y2: y, class: 'slip overdue' }));
      }
      g.append(s('circle', { cx: x(planned), cy: y, r: 6, class: 'planned' }));
    }
    const labelAt = Math.max(x(planned), actual !== null ? x(actual) : info.status === 'overdue' ? x(today) : x(planned));
    const anchorEnd = labelAt > width - 150;
    g.append(s('text', {
      x: anchorEnd ? Math.min(x(planned), actual !== null ? x(actual) : x(planned)) - 10 : labelAt + 10,
      y: y + 4, class: 'note', 'text-anchor': anchorEnd ? 'end' : 'start',
    }, info.text));
    svg.append(g);
  });

  // Today.
  svg.append(s('line', { x1: x(today), x2: x(today), y1: top - 8, y2: height - 28, class: 'today', 'data-testid': 'timeline-today' }));
  svg.append(s('text', { x: x(today), y: height - 14, 'text-anchor': 'middle', class: 'today-label' }, `${t('today')} ${todayIso}`));

  // Legend.
  const legend = s('g', { class: 'legend', transform: `translate(8 ${height - 18})` });
  legend.append(s('circle', { cx: 6, cy: 0, r: 5, class: 'planned' }), s('text', { x: 15, y: 4 }, t('planned')));
  legend.append(s('circle', { cx: 64, cy: 0, r: 5, class: 'actual legend-actual' }), s('text', { x: 73, y: 4 }, t('actual')));
  svg.append(legend);
  return svg;
}

/** A label cut to about `max` CJK characters (Latin letters count half), ending in an ellipsis when cut. */
function shorten(text, max) {
  let width = 0;
  let out = '';
  for (const ch of text) {
    width += /[\u0000-\u00ff]/.test(ch) ? 0.55 : 1;
    if (width > max) {
      return `${out}…`;
    }
    out += ch;
  }
  return out;
}

/** 晾晒比拼: one horizontal bar per child region, score 0–100, as the server ranked them; the spread must be visible. */
export function rankingChart(ranking) {
  const width = 720;
  const left = 200;
  const right = 110;
  const rowHeight = 30;
  const top = 8;
  const height = top + ranking.length * rowHeight + 22;
  const max = 100;
  const x = v => left + (Math.max(0, Math.min(max, v)) / max) * (width - left - right);
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'ranking', role: 'img', 'aria-label': t('rankingTitle'),
    'data-testid': 'ranking-svg', preserveAspectRatio: 'xMinYMin meet',
  });
  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(s('line', { x1: x(v), x2: x(v), y1: top, y2: height - 18, class: 'grid' }));
    svg.append(s('text', { x: x(v), y: height - 4, 'text-anchor': 'middle', class: 'tick' }, String(v)));
  }
  // Bands by rank, so that children sharing a rank (并列) share a colour.
  const ranked = ranking.filter(r => r.rank !== null && r.rank !== undefined);
  const n = ranked.length;
  ranking.forEach((r, i) => {
    const y = top + i * rowHeight;
    const unranked = r.rank === null || r.rank === undefined;
    const place = unranked ? 0 : r.rank - 1;
    const band = unranked ? 'unranked' : n < 3 ? (place === 0 ? 'top' : 'bottom') : place < n / 3 ? 'top' : place < (2 * n) / 3 ? 'middle' : 'bottom';
    const label = unranked ? '—' : r.tied ? t('rankTied', r.rank) : String(r.rank);
    const g = s('g', {
      'data-testid': 'ranking-bar', 'data-region-id': r.regionId, 'data-rank': unranked ? null : r.rank, 'data-tied': r.tied ? 'true' : null,
      class: `bar ${band}`,
    });
    const score = unranked ? 0 : Number(r.score);
    g.append(s('title', {}, unranked ? `${r.name}: ${r.reason ?? ''}` : `${label}. ${r.name}: ${t('score')} ${score.toFixed(1)}`));
    g.append(s('text', { x: left - 8, y: y + rowHeight / 2 + 4, 'text-anchor': 'end', class: 'label' },
      unranked ? shorten(r.name, 12) : `${label}. ${shorten(r.name, 12)}`));
    if (!unranked) {
      g.append(s('rect', { x: left, y: y + 5, width: Math.max(1, x(score) - left), height: rowHeight - 10, rx: 3 }));
    }
    const value = s('text', { x: x(score) + 6, y: y + rowHeight / 2 + 4, class: 'value' }, unranked ? t('unranked') : score.toFixed(1));
    if (r.lights) {
      value.append(s('tspan', { class: 'l-red', dx: 8 }, `●${r.lights.red}`), s('tspan', { class: 'l-yellow', dx: 4 }, `●${r.lights.yellow}`),
        s('tspan', { class: 'l-green', dx: 4 }, `●${r.lights.green}`));
    }
    g.append(value);
    svg.append(g);
  });
  return svg;
}
