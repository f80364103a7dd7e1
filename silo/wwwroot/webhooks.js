// The 推送 / Alerts tab: a region's webhook subscriptions (which events go to which chat group or system) with their
// latest deliveries and failures, as GET /api/regions/{id}/webhooks reports them. Strings from the API go in as text.
import { t } from './i18n.js';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) {
      node.setAttribute(key, value);
    }
  }
  node.append(...children.flat().filter(c => c !== null && c !== undefined));
  return node;
}

const time = at => new Date(at).toLocaleString(document.documentElement.lang, { timeZone: 'Asia/Shanghai', hour12: false });

function delivery(d) {
  const result = d.statusCode ? `HTTP ${d.statusCode}` : '';
  return el('li', { class: `delivery ${d.outcome}`, 'data-testid': 'webhook-delivery', 'data-outcome': d.outcome },
    el('span', { class: 'badge' }, t(`wh_${d.outcome}`)),
    el('span', {}, ` ${time(d.at)} · ${t(`ev_${d.type}`)} · `),
    el('code', {}, d.eventId),
    el('span', { class: 'muted' }, ` · ${t('whAttempts', d.attempts)}${result ? ` · ${result}` : ''}`),
    d.error ? el('div', { class: 'error-text', 'data-testid': 'webhook-error' }, d.error) : null);
}

function card(s) {
  const d = s.deliveries;
  return el('li', { class: 'card webhook', 'data-testid': 'webhook-subscription' },
    el('h4', {}, `${s.targetName} `, el('span', { class: 'muted' }, `(${s.format})`)),
    el('p', { class: 'muted' }, `${t('whEvents')}：${s.events.map(e => t(`whk_${e}`)).join('、')}`, s.account ? ` · @${s.account}` : ''),
    el('p', { 'data-testid': 'webhook-counts' },
      t('whCounts', d.delivered, d.pending, d.failed, d.dropped),
      d.nextAttemptAt ? el('span', { class: 'muted' }, ` · ${t('whNext', time(d.nextAttemptAt))}`) : null),
    d.recent.length
      ? el('ul', { class: 'plain deliveries' }, d.recent.slice(0, 5).map(delivery))
      : el('p', { class: 'muted' }, t('whNoDeliveries')));
}

/** Loads and shows a region's subscriptions into the alerts panel; `api` is the console's authenticated fetch. */
export async function loadAlerts(regionId, api) {
  const list = document.querySelector('[data-testid="webhook-list"]');
  if (!list) {
    return;
  }
  const subscriptions = await api(`/api/regions/${encodeURIComponent(regionId)}/webhooks`);
  list.replaceChildren(...(subscriptions.length ? subscriptions.map(card) : [el('li', { class: 'empty muted' }, t('whNone'))]));
}
