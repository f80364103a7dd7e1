// The 待办 (to-do) tab: the signed-in official's own list from GET /api/me/todo, by group with counts, each item a
// link to the project, problem, warning or decision it is about. The server chooses and orders; this only shows.

const GROUPS = ['warnings', 'problems', 'decisions', 'reports'];

/**
 * ctx: { api, h, t, enc, byTestId, regionName, formatTime, me(), regionId(), open(item, target) } from the console.
 * Answers load() (fetch and show) and render() (show again, e.g. in the other language).
 */
export function createTodo(ctx) {
  let list = null;
  let shown = '';
  let seq = 0;

  async function load() {
    const mine = ++seq;
    // An operator has no region of their own: the list is the region in view, as its officials see it.
    const query = ctx.me()?.role === 'operator' && ctx.regionId() ? `?regionId=${ctx.enc(ctx.regionId())}` : '';
    const answer = await ctx.api(`/api/me/todo${query}`);
    // A live event reloads the list; unchanged, it keeps its elements, so a link is not pulled from under a pointer.
    const text = JSON.stringify(answer);
    if (mine === seq && text !== shown) {
      list = answer;
      shown = text;
      render();
    }
  }

  /** Where an item leads: the region it sits in, the tab that shows it, and what to open there. */
  function targetOf(item) {
    if (item.kind === 'acknowledge') {
      return { region: item.regionId, tab: 'warnings', warningId: item.warningId };
    }
    if (item.kind === 'decision') {
      return { region: item.regionId, tab: 'board', meetingId: item.meetingId, number: item.decisionNumber };
    }
    if (item.kind === 'report') {
      return { region: item.regionId, tab: 'projects', projectId: item.projectId };
    }
    return { region: item.regionId, tab: 'board', problemId: item.problemId, role: item.kind === 'verify' ? 'supervisor' : 'owner' };
  }

  function due(item) {
    if (item.dueAt) {
      return ctx.formatTime(item.dueAt);
    }
    return item.dueOn ?? ctx.t('todoNoDeadline');
  }

  function itemRow(item) {
    const { h, t } = ctx;
    const target = targetOf(item);
    const href = `#${new URLSearchParams({ region: target.region, tab: target.tab })}`;
    // A warning's or report's subject (开工, 2026-03) says little without its project.
    const title = item.projectName && (item.kind === 'acknowledge' || item.kind === 'report') ? `${item.projectName} · ${item.title}` : item.title;
    const link = h('a', { href, 'data-testid': 'todo-link' }, title);
    link.addEventListener('click', e => {
      e.preventDefault();
      ctx.open(item, target);
    });
    const about = [
      item.projectId ? `${t('project')}: ${item.projectName ? `${item.projectName} (${item.projectId})` : item.projectId}` : null,
      item.problemId && item.kind !== 'decision' ? item.problemId : null,
      item.meetingId && item.kind === 'decision' ? `${item.meetingId} #${item.decisionNumber}` : null,
      ctx.regionName(item.regionId),
    ].filter(Boolean).join(' · ');
    return h('li', {
      class: `todo-item${item.overdue ? ' overdue' : ''}`, 'data-testid': 'todo-item', 'data-kind': item.kind, 'data-overdue': String(item.overdue),
      'data-problem-id': item.problemId, 'data-warning-id': item.warningId, 'data-project-id': item.projectId,
    },
    h('div', { class: 'todo-head' },
      h('span', { class: `status-badge ${item.overdue ? 'open' : 'acknowledged'}`, 'data-testid': 'todo-kind' }, t(`todo_${item.kind}`)), ' ',
      link),
    h('div', { class: 'muted small-text' }, about),
    item.detail ? h('div', { class: 'small-text todo-detail' }, item.detail) : null,
    h('div', { class: 'small-text', 'data-testid': 'todo-due' }, `${t('deadline')}: ${due(item)}${item.overdue ? ` · ${t('todoOverdue')}` : ''}`));
  }

  function render() {
    const { h, t, byTestId } = ctx;
    const box = byTestId('todo-list');
    const count = byTestId('todo-count');
    if (!list) {
      box.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      count.textContent = '';
      return;
    }
    const total = GROUPS.reduce((sum, g) => sum + list[g].total, 0);
    count.textContent = total ? String(total) : '';
    const sections = GROUPS.map(g => {
      const group = list[g];
      const more = group.total > group.items.length ? h('p', { class: 'muted small-text' }, t('todoMore', group.items.length, group.total)) : null;
      return h('section', { class: 'todo-group', 'data-testid': 'todo-group', 'data-group': g },
        h('h3', {}, t(`todoGroup_${g}`), ' ',
          h('span', { class: 'count', 'data-testid': 'todo-group-count' }, String(group.total)),
          group.overdue ? h('span', { class: 'count overdue', 'data-testid': 'todo-group-overdue' }, t('todoOverdueCount', group.overdue)) : null),
        group.items.length
          ? h('ul', { class: 'plain todo-items' }, group.items.map(itemRow))
          : h('p', { class: 'muted empty' }, t('todoEmpty')),
        more);
    });
    box.replaceChildren(
      h('p', { class: 'muted small-text', 'data-testid': 'todo-scope' },
        list.note ?? t('todoScope', list.regionId ? ctx.regionName(list.regionId) : t('todoMyProjects'), list.today)),
      ...sections);
  }

  return { load, render };
}
