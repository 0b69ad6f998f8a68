//! Drawing the browser from its state: one function per screen, a title line, a status line
//! and the help overlay. Statute text is wrapped here by display width (CJK characters take
//! two columns and are never split; closing punctuation hangs rather than starting a line)
//! and always passes through [`terminal_text`] first. Without colour, deletions and
//! insertions read `[-…-]` and `{+…+}`.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::app::{
    AmendmentScreen, App, CitesScreen, Focus, HistoryScreen, KEYS, ListScreen, MARKERS, Screen,
    TextScreen, TimelineScreen,
};
use super::data::{Citation, Citations};
use crate::diff::{Entry, EntryKind, Op, Segment};
use crate::render::report::entry_header;
use crate::render::safe::terminal_text;
pub use crate::render::terminal::fit;
use crate::render::terminal::{pad, wrap_styled};

/// How a run of text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Plain,
    Deleted,
    Inserted,
    Bold,
    Dim,
    /// A search match.
    Hit,
    /// Something out of date (a stale citation): red, bold without colour.
    Warn,
}

/// A styled run of text (already made terminal-safe).
pub type Run = (Mark, String);

/// A run of statute text, made safe for the terminal.
fn run(mark: Mark, text: &str) -> Run {
    (mark, terminal_text(text).into_owned())
}

fn style(mark: Mark, color: bool) -> Style {
    let s = Style::default();
    match (mark, color) {
        (Mark::Plain, _) => s,
        (Mark::Deleted, true) => s.fg(Color::Red).add_modifier(Modifier::CROSSED_OUT),
        (Mark::Inserted, true) => s.fg(Color::Green).add_modifier(Modifier::UNDERLINED),
        (Mark::Deleted | Mark::Inserted, false) => s,
        (Mark::Bold, _) => s.add_modifier(Modifier::BOLD),
        (Mark::Dim, true) => s.fg(Color::DarkGray),
        (Mark::Dim, false) => s,
        (Mark::Hit, true) => s.bg(Color::Yellow).fg(Color::Black),
        (Mark::Hit, false) => s.add_modifier(Modifier::REVERSED),
        (Mark::Warn, true) => s.fg(Color::Red).add_modifier(Modifier::BOLD),
        (Mark::Warn, false) => s.add_modifier(Modifier::BOLD),
    }
}

/// The marks that stand for a style without colour.
fn marks(mark: Mark, color: bool) -> (&'static str, &'static str) {
    match (mark, color) {
        (Mark::Deleted, false) => ("[-", "-]"),
        (Mark::Inserted, false) => ("{+", "+}"),
        _ => ("", ""),
    }
}

/// Wraps styled runs into lines of at most `width` columns; line breaks in the text start new
/// lines. A character is never split; closing punctuation never starts a line but may hang
/// into the last two columns, which other characters leave free. Without colour the marks are
/// inserted as text, closed and reopened at each wrap so that every line reads on its own.
pub fn wrap(runs: &[Run], width: usize, color: bool) -> Vec<Line<'static>> {
    let lines = wrap_styled(runs, width.max(4), |m| marks(m, color), true);
    lines
        .into_iter()
        .map(|l| {
            Line::from(
                l.into_iter()
                    .map(|(m, t)| Span::styled(t, style(m, color)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

/// The first row shown so that `selected` is visible in `height` rows.
fn keep_visible(selected: usize, offset: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// Draws the whole browser.
pub fn draw(f: &mut Frame, app: &mut App) {
    let area = f.area();
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    app.areas = Default::default();
    let color = app.color;
    let mut screen = app.screen().clone();
    let crumbs = breadcrumb(app);
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(
            fit(&crumbs, top.width as usize),
            style(Mark::Bold, color).add_modifier(Modifier::REVERSED),
        ))),
        top,
    );
    match &mut screen {
        Screen::List(l) => list(f, app, l, body),
        Screen::Timeline(t) => timeline(f, app, t, body),
        Screen::Amendment(a) => amendment(f, app, a, body),
        Screen::History(h) => history(f, app, h, body),
        Screen::Cites(c) => cites(f, app, c, body),
        Screen::Text(t) => text(f, app, t, body),
    }
    // Offsets and clamped scrolls go back into the state.
    let last = app.screens.len() - 1;
    app.screens[last] = screen;
    status(f, app, bottom);
    if app.help {
        help(f, app, area);
    }
}

fn breadcrumb(app: &App) -> String {
    let mut parts = vec!["statute browse".to_string()];
    for s in &app.screens[1..] {
        parts.push(match s {
            Screen::List(_) => String::new(),
            Screen::Timeline(t) => App::title(&t.id).to_string(),
            Screen::Amendment(a) => {
                let label = |k| version_label(app, &a.key.id, k);
                format!("{} → {}", label(a.key.from), label(a.key.to))
            }
            Screen::History(_) => "条文沿革".to_string(),
            Screen::Cites(_) => "被引用".to_string(),
            Screen::Text(t) => format!("全文 {}", version_label(app, &t.id, t.version)),
        });
    }
    terminal_text(&parts.join(" › ")).into_owned()
}

fn version_label(app: &App, id: &str, k: usize) -> String {
    app.histories
        .get(id)
        .and_then(|h| h.versions.get(k))
        .map_or_else(|| format!("#{k}"), |v| v.label.clone())
}

fn status(f: &mut Frame, app: &App, area: Rect) {
    let input = match app.screen() {
        Screen::List(l) if l.filter.editing || !l.filter.text.is_empty() => {
            Some(("过滤", &l.filter))
        }
        Screen::Amendment(a) if a.search.editing => Some(("搜索", &a.search)),
        Screen::Text(t) if t.search.editing => Some(("搜索", &t.search)),
        _ => None,
    };
    let text = if let Some((what, input)) = input {
        format!(
            "{what} /{}{}",
            terminal_text(&input.text),
            if input.editing { "▏" } else { "" }
        )
    } else if let Some(m) = &app.message {
        terminal_text(m).into_owned()
    } else if app.waiting() {
        "computing…".to_string()
    } else {
        match app.screen() {
            Screen::List(_) => "Enter open  / filter  ? help  q quit",
            Screen::Timeline(_) => "Enter compare with previous  m mark  t text  / search  ? help",
            Screen::Amendment(_) => "Tab pane  s side-by-side  h history  a all  / search  ? help",
            Screen::History(_) => "c citations  j/k scroll  Esc back  ? help  q quit",
            Screen::Cites(_) => "j/k scroll  Esc/q back  ? help",
            Screen::Text(_) => "/ search  n/N next/previous  Esc back  ? help",
        }
        .to_string()
    };
    f.render_widget(
        Paragraph::new(fit(&text, area.width as usize)).style(style(Mark::Dim, app.color)),
        area,
    );
}

fn block(title: String, focused: bool, color: bool) -> Block<'static> {
    let b = Block::default()
        .borders(Borders::ALL)
        .title(terminal_text(&title).into_owned());
    if focused && color {
        b.border_style(Style::default().fg(Color::Cyan))
    } else if focused {
        b.border_style(Style::default().add_modifier(Modifier::BOLD))
    } else {
        b
    }
}

/// Rows of a list, the selected one reversed; records the area for the mouse.
fn rows(
    f: &mut Frame,
    app: &mut App,
    items: &[Line<'static>],
    selected: usize,
    offset: &mut usize,
    outer: Rect,
    b: Block<'static>,
) {
    rows_of(
        f,
        app,
        items.len(),
        &|i| items[i].clone(),
        selected,
        offset,
        outer,
        b,
    );
}

/// A list of `count` rows in a block, the selected one marked, scrolled to keep it visible:
/// only the rows on screen are built (`item(i)` is asked for those alone).
#[allow(clippy::too_many_arguments)]
fn rows_of(
    f: &mut Frame,
    app: &mut App,
    count: usize,
    item: &dyn Fn(usize) -> Line<'static>,
    selected: usize,
    offset: &mut usize,
    outer: Rect,
    b: Block<'static>,
) {
    let inner = b.inner(outer);
    f.render_widget(b, outer);
    app.areas.list = inner;
    let h = inner.height as usize;
    *offset = keep_visible(selected, *offset, h);
    let shown: Vec<Line> = (*offset..count.min(*offset + h))
        .map(|i| {
            // A cursor that shows without colour or reverse video too.
            let cursor = Span::raw(if i == selected { ">" } else { " " });
            let mut spans = vec![cursor];
            spans.extend(item(i).spans);
            let line = Line::from(spans);
            if i == selected {
                line.patch_style(Style::default().add_modifier(Modifier::REVERSED))
            } else {
                line
            }
        })
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

fn list(f: &mut Frame, app: &mut App, l: &mut ListScreen, area: Rect) {
    let width = area.width.saturating_sub(3) as usize;
    if app.loading_ids() {
        f.render_widget(
            Paragraph::new("正在读取法规列表…").block(block("法规".into(), true, app.color)),
            area,
        );
        return;
    }
    let title = format!("法规 {}/{}", l.shown.len(), app.statutes.len());
    let b = block(title, true, app.color);
    // The list is virtual: only the rows on screen are built (a national store has hundreds
    // of thousands of statutes).
    let statutes = std::mem::take(&mut app.statutes);
    let item = |i: usize| {
        Line::from(fit(
            &terminal_text(App::title(&statutes[l.shown[i]])),
            width,
        ))
    };
    let (sel, mut off) = (l.selected, l.offset);
    rows_of(f, app, l.shown.len(), &item, sel, &mut off, area, b);
    app.statutes = statutes;
    l.offset = off;
}

fn timeline(f: &mut Frame, app: &mut App, t: &mut TimelineScreen, area: Rect) {
    let Some(h) = app.histories.get(&t.id).cloned() else {
        f.render_widget(
            Paragraph::new("computing…").block(block(App::title(&t.id).into(), true, app.color)),
            area,
        );
        return;
    };
    let [top, bottom] = Layout::vertical([Constraint::Min(3), Constraint::Length(8)]).areas(area);
    let width = top.width.saturating_sub(3) as usize;
    let items: Vec<Line> = h
        .versions
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let mark = if t.mark == Some(k) { "*" } else { " " };
            let effective = v
                .meta
                .effective
                .map_or_else(|| " ".repeat(15), |d| format!("施行 {d}"));
            let summary = v.summary.as_deref().unwrap_or("");
            let row = format!(
                "{mark}{}  {effective}  {}  {summary}",
                pad(&v.label, 13),
                pad(v.kind_zh(k == 0), 8),
            );
            Line::from(fit(&terminal_text(&row), width))
        })
        .collect();
    let title = format!("{} 版本 {}", App::title(&t.id), h.versions.len());
    let b = block(title, true, app.color);
    let sel = t.selected;
    rows(f, app, &items, sel, &mut t.offset, top, b);
    // The selected version in full.
    if let Some(v) = h.versions.get(t.selected) {
        let mut runs = vec![
            run(Mark::Bold, &format!("{} {}", v.meta.title, v.label)),
            run(Mark::Plain, "\n"),
        ];
        let mut facts = vec![format!("版本日期 {}", v.date)];
        if let Some(e) = v.meta.effective {
            facts.push(format!("施行 {e}"));
        }
        if let Some(s) = &v.meta.status {
            facts.push(s.clone());
        }
        if let Some(i) = &v.meta.issuer {
            facts.push(i.clone());
        }
        runs.push(run(Mark::Plain, &format!("{}\n", facts.join("  "))));
        runs.push(run(
            Mark::Plain,
            v.summary.as_deref().unwrap_or("首次收录：Enter 查看全文"),
        ));
        let b = block("版本".into(), false, app.color);
        let inner = b.inner(bottom);
        let lines = wrap(&runs, inner.width as usize, app.color);
        f.render_widget(Paragraph::new(lines).block(b), bottom);
    }
}

/// The one-character markers of an entry's kind and flags.
fn markers(e: &Entry) -> (&'static str, &'static str, &'static str) {
    let kind = match e.kind {
        // The same wording in another structure: a split or merge keeps its letter.
        EntryKind::Unchanged | EntryKind::Modified | EntryKind::Added | EntryKind::Deleted
            if e.restructured =>
        {
            "r"
        }
        EntryKind::Unchanged => " ",
        EntryKind::Modified if !e.substantive => "f",
        EntryKind::Modified => "M",
        EntryKind::Added => "+",
        EntryKind::Deleted => "-",
        EntryKind::Split => "S",
        EntryKind::Merged => "J",
    };
    (
        kind,
        if e.renumbered { "#" } else { " " },
        if e.moved { "@" } else { " " },
    )
}

fn entry_labels(e: &Entry) -> String {
    let join = |v: &[crate::diff::UnitRef]| {
        v.iter()
            .map(|u| u.label.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    match (e.old.is_empty(), e.new.is_empty()) {
        (true, _) => join(&e.new),
        (_, true) => join(&e.old),
        _ if join(&e.old) == join(&e.new) => join(&e.new),
        _ => format!("{}→{}", join(&e.old), join(&e.new)),
    }
}

fn amendment(f: &mut Frame, app: &mut App, a: &mut AmendmentScreen, area: Rect) {
    let Some(cs) = app.diffs.get(&a.key).cloned() else {
        f.render_widget(
            Paragraph::new("computing…").block(block("修改".into(), true, app.color)),
            area,
        );
        return;
    };
    let color = app.color;
    let date = |d: Option<crate::model::Date>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    let head = vec![
        run(
            Mark::Bold,
            &format!(
                "{} {} → {}",
                cs.new.title,
                date(cs.old.version_date),
                date(cs.new.version_date)
            ),
        ),
        run(Mark::Plain, "\n"),
        run(Mark::Plain, &cs.summary_line()),
    ];
    let head = wrap(&head, area.width as usize, color);
    let head_h = (head.len() as u16).min(area.height / 3).max(1);
    let [head_area, panes] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(3)]).areas(area);
    f.render_widget(Paragraph::new(head), head_area);
    let list_w = (panes.width / 3).clamp(16, 34);
    let [left, right] = Layout::horizontal([Constraint::Length(list_w), Constraint::Min(10)])
        .direction(Direction::Horizontal)
        .areas(panes);
    let entries = App::entries(&cs, a.all);
    a.selected = a.selected.min(entries.len().saturating_sub(1));
    let width = left.width.saturating_sub(3) as usize;
    let items: Vec<Line> = entries
        .iter()
        .map(|e| {
            let (k, r, m) = markers(e);
            let mark_style = match (color, e.kind) {
                (false, _) => Style::default(),
                (true, EntryKind::Added) => Style::default().fg(Color::Green),
                (true, EntryKind::Deleted) => Style::default().fg(Color::Red),
                (true, EntryKind::Unchanged) => Style::default(),
                (true, _) => Style::default().fg(Color::Yellow),
            };
            let label = fit(&terminal_text(&entry_labels(e)), width.saturating_sub(4));
            Line::from(vec![
                Span::styled(format!("{k}{r}{m}"), mark_style),
                Span::raw(" "),
                Span::raw(label),
            ])
        })
        .collect();
    let title = format!(
        "条文 {}/{}{}",
        entries.len(),
        cs.entries.len(),
        if a.all { " 全部" } else { "" }
    );
    let b = block(title, a.focus == Focus::List, color);
    let sel = a.selected;
    rows(f, app, &items, sel, &mut a.offset, left, b);
    // The detail pane.
    let side = app.side_by_side;
    let b = block(
        if side { "对照" } else { "差异" }.into(),
        a.focus == Focus::Detail,
        color,
    );
    let inner = b.inner(right);
    app.areas.detail = inner;
    let lines = match entries.get(a.selected) {
        Some(e) => detail(e, inner.width as usize, side, color),
        None => vec![Line::from("（无修改条文；a 显示全部）")],
    };
    a.scroll = scrolled(a.scroll, lines.len(), inner.height as usize);
    f.render_widget(b, right);
    f.render_widget(
        Paragraph::new(window(&lines, a.scroll, inner.height)),
        inner,
    );
}

/// A scroll position clamped so that the last page stays full.
fn scrolled(scroll: usize, lines: usize, height: usize) -> usize {
    scroll.min(lines.saturating_sub(height))
}

fn window(lines: &[Line<'static>], scroll: usize, height: u16) -> Vec<Line<'static>> {
    lines
        .iter()
        .skip(scroll)
        .take(height as usize)
        .cloned()
        .collect()
}

/// One side of a diff: equal runs and that side's own changes.
fn side_runs(segs: &[Segment], keep: Op) -> Vec<Run> {
    segs.iter()
        .filter(|s| s.op == Op::Equal || s.op == keep)
        .map(|s| run(op_mark(s.op), &s.text))
        .collect()
}

/// How a diff segment is marked: kept text plain, deletions and insertions as such.
fn op_mark(op: Op) -> Mark {
    match op {
        Op::Equal => Mark::Plain,
        Op::Delete => Mark::Deleted,
        Op::Insert => Mark::Inserted,
    }
}

/// The detail of one entry: its header, then its diff inline or side by side.
pub fn detail(e: &Entry, width: usize, side_by_side: bool, color: bool) -> Vec<Line<'static>> {
    let mut lines = wrap(&[run(Mark::Bold, &entry_header(e))], width, color);
    lines.push(Line::default());
    if !side_by_side {
        let runs: Vec<Run> = e.diff.iter().map(|s| run(op_mark(s.op), &s.text)).collect();
        lines.extend(wrap(&runs, width, color));
        return lines;
    }
    let col = (width.saturating_sub(3) / 2).max(4);
    let rows: Vec<(Vec<Run>, Vec<Run>)> = match e.kind {
        EntryKind::Split | EntryKind::Merged | EntryKind::Added | EntryKind::Deleted => vec![(
            side_runs(&e.diff, Op::Delete),
            side_runs(&e.diff, Op::Insert),
        )],
        _ => e
            .lines
            .iter()
            .map(|l| {
                (
                    side_runs(&l.diff, Op::Delete),
                    side_runs(&l.diff, Op::Insert),
                )
            })
            .collect(),
    };
    for (left, right) in rows {
        let (l, r) = (wrap(&left, col, color), wrap(&right, col, color));
        for k in 0..l.len().max(r.len()) {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let lw = match l.get(k) {
                Some(line) => {
                    spans.extend(line.spans.iter().cloned());
                    line.width()
                }
                None => 0,
            };
            spans.push(Span::raw(format!(
                "{} │ ",
                " ".repeat(col.saturating_sub(lw))
            )));
            if let Some(line) = r.get(k) {
                spans.extend(line.spans.iter().cloned());
            }
            lines.push(Line::from(spans));
        }
    }
    lines
}

fn history(f: &mut Frame, app: &mut App, h: &mut HistoryScreen, area: Rect) {
    let color = app.color;
    let b = block("条文沿革".into(), true, color);
    let inner = b.inner(area);
    app.areas.detail = inner;
    let Some(trail) = app.trails.get(&h.key).cloned() else {
        f.render_widget(Paragraph::new("computing…").block(b), area);
        return;
    };
    let mut runs = vec![
        run(Mark::Bold, &trail.history.title),
        run(Mark::Dim, &format!("\n{}\n", trail.history.lineage_id)),
    ];
    for (v, step) in trail.history.versions.iter().zip(&trail.steps) {
        let labels = v
            .units
            .iter()
            .map(|(u, _)| format!("{} [{}]", u.label, origin_zh(u.origin)))
            .collect::<Vec<_>>()
            .join("、");
        let labels = if labels.is_empty() {
            "（本版本无此条）".to_string()
        } else {
            labels
        };
        runs.push(run(Mark::Plain, "\n"));
        runs.push(run(
            Mark::Bold,
            &format!("■ {}  {labels}\n", v.version.label),
        ));
        match step {
            Some(segs) => {
                for s in segs {
                    let m = match s.op {
                        Op::Equal => Mark::Plain,
                        Op::Delete => Mark::Deleted,
                        Op::Insert => Mark::Inserted,
                    };
                    runs.push(run(m, &s.text));
                }
                runs.push(run(Mark::Plain, "\n"));
            }
            None => {
                for (_, text) in &v.units {
                    runs.push(run(Mark::Plain, text));
                    runs.push(run(Mark::Plain, "\n"));
                }
            }
        }
    }
    let lines = wrap(&runs, inner.width as usize, color);
    h.scroll = scrolled(h.scroll, lines.len(), inner.height as usize);
    f.render_widget(b, area);
    f.render_widget(
        Paragraph::new(window(&lines, h.scroll, inner.height)),
        inner,
    );
}

/// An article's incoming citations: the cited article, how many cite it and how many of them
/// are stale, then one row per citation (wrapped, continuation lines indented under it).
fn cites(f: &mut Frame, app: &mut App, c: &mut CitesScreen, area: Rect) {
    let color = app.color;
    let b = block("被引用".into(), true, color);
    let inner = b.inner(area);
    app.areas.detail = inner;
    let Some(answer) = app.cites.get(&c.key).cloned() else {
        f.render_widget(Paragraph::new("computing…").block(b), area);
        return;
    };
    let width = inner.width as usize;
    let head = [
        run(Mark::Bold, &format!("{} {}", c.title, c.labels)),
        run(Mark::Dim, &format!("\n{}", c.key.lineage)),
    ];
    let mut lines = wrap(&head, width, color);
    let say = |text: &str| wrap(&[run(Mark::Plain, text)], width, color);
    match &*answer {
        Citations::NoIndex => {
            lines.extend(say("本库没有引用索引（旧库）：statute reindex 可建立。"));
        }
        Citations::Found(found) if found.is_empty() => {
            lines.extend(say("库中没有法规引用本条。"));
        }
        Citations::Found(found) => {
            let stale = found.iter().filter(|x| x.resolved.status.stale()).count();
            lines.extend(say(&format!(
                "其他法规引用本条 {} 处，其中 {stale} 处已失效（! 标出，与最新版本比较）",
                found.len()
            )));
            lines.push(Line::default());
            for x in found.iter() {
                lines.extend(citation(x, width, color));
            }
        }
    }
    c.scroll = scrolled(c.scroll, lines.len(), inner.height as usize);
    f.render_widget(b, area);
    f.render_widget(
        Paragraph::new(window(&lines, c.scroll, inner.height)),
        inner,
    );
}

/// One citation as rows: a marker (`!` stale, `?` unresolved), the citing statute and version,
/// the citing unit, the citation as written, the version it means, and its status with the
/// article's labels now. Wrapped to `width`, continuation rows indented under the marker.
fn citation(x: &Citation, width: usize, color: bool) -> Vec<Line<'static>> {
    use crate::store::cites::Status;
    let r = &x.resolved;
    let (marker, status_mark) = match r.status {
        s if s.stale() => ("! ", Mark::Warn),
        Status::Unresolved => ("? ", Mark::Dim),
        _ => ("  ", Mark::Plain),
    };
    let mut runs = vec![
        run(Mark::Bold, &x.title),
        run(Mark::Plain, &format!(" {}  ", r.citing_version)),
        run(Mark::Plain, r.row.unit.as_deref().unwrap_or("—")),
        run(Mark::Plain, "  "),
        run(Mark::Plain, &r.row.text),
    ];
    if let Some(v) = &r.cited_version {
        runs.push(run(Mark::Dim, &format!("（{v} 版）")));
    }
    let mut status = r.status.as_str().to_string();
    match r.status {
        Status::Renumbered | Status::Split | Status::Merged if !r.current.is_empty() => {
            status.push_str(&format!(" → {}", r.current.join("、")));
        }
        Status::Unresolved => {
            if let Some(n) = &r.note {
                status.push_str(&format!(": {n}"));
            }
        }
        _ => {}
    }
    // The status stays whole: after the citation when it fits there, else on a row of its own.
    let inner = width.saturating_sub(2);
    let mut lines = wrap(&runs, inner, color);
    let status = wrap(&[run(status_mark, &status)], inner, color);
    match (lines.last_mut(), status.as_slice()) {
        (Some(last), [one]) if last.width() + 2 + one.width() <= inner => {
            last.spans.push(Span::raw("  "));
            last.spans.extend(one.spans.iter().cloned());
        }
        _ => lines.extend(status),
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(k, l)| {
            let lead = if k == 0 {
                Span::styled(marker, style(status_mark, color))
            } else {
                Span::raw("  ")
            };
            let mut spans = vec![lead];
            spans.extend(l.spans);
            Line::from(spans)
        })
        .collect()
}

fn origin_zh(o: crate::lineage::Origin) -> &'static str {
    use crate::lineage::Origin;
    match o {
        Origin::First => "首版",
        Origin::Unchanged => "未变",
        Origin::Formal => "形式修改",
        Origin::Modified => "修改",
        Origin::Added => "新增",
        Origin::Split => "拆分",
        Origin::Merged => "合并",
    }
}

/// Runs of `text` with every occurrence of `q` marked as a hit.
fn hits(text: &str, q: &str, mark: Mark) -> Vec<Run> {
    if q.is_empty() {
        return vec![run(mark, text)];
    }
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(q) {
        if i > 0 {
            out.push(run(mark, &rest[..i]));
        }
        out.push(run(Mark::Hit, q));
        rest = &rest[i + q.len()..];
    }
    if !rest.is_empty() {
        out.push(run(mark, rest));
    }
    out
}

fn text(f: &mut Frame, app: &mut App, t: &mut TextScreen, area: Rect) {
    let color = app.color;
    let title = format!(
        "{} {}",
        App::title(&t.id),
        version_label(app, &t.id, t.version)
    );
    let b = block(title, true, color);
    let inner = b.inner(area);
    app.areas.detail = inner;
    let Some(blocks) = app.texts.get(&(t.id.clone(), t.version)).cloned() else {
        f.render_widget(Paragraph::new("computing…").block(b), area);
        return;
    };
    t.top = t.top.min(blocks.len().saturating_sub(1));
    let q = t.search.text.trim().to_string();
    let mut lines: Vec<Line<'static>> = Vec::new();
    // Only the blocks from the top down to a full screen are wrapped.
    for blk in blocks.iter().skip(t.top) {
        if lines.len() >= inner.height as usize {
            break;
        }
        let mut runs = Vec::new();
        if blk.heading {
            runs.extend(hits(&blk.text, &q, Mark::Bold));
        } else {
            runs.extend(hits(&blk.label, &q, Mark::Bold));
            runs.push(run(Mark::Plain, "　"));
            runs.extend(hits(&blk.text, &q, Mark::Plain));
        }
        lines.extend(wrap(&runs, inner.width as usize, color));
    }
    f.render_widget(b, area);
    f.render_widget(Paragraph::new(window(&lines, 0, inner.height)), inner);
}

fn help(f: &mut Frame, app: &App, area: Rect) {
    let w = area.width.min(60);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| Line::from(format!("{} {what}", pad(k, 15))))
        .collect();
    lines.push(Line::default());
    let markers: Vec<String> = MARKERS
        .iter()
        .map(|(m, what)| format!("{m} {what}"))
        .collect();
    // Three markers to a row, so that keys and markers fit 80×24.
    for three in markers.chunks(3) {
        let row: Vec<String> = three.iter().map(|m| pad(m, 18)).collect();
        lines.push(Line::from(row.concat().trim_end().to_string()));
    }
    let h = area.height.min(lines.len() as u16 + 2);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let inner_w = w.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(fit(&l.to_string(), inner_w)))
        .collect();
    clear(f.buffer_mut(), r);
    f.render_widget(
        Paragraph::new(lines).block(block("帮助（任意键关闭）".into(), true, app.color)),
        r,
    );
}

/// Clears `r` for a popup: its cells (ratatui's `Clear`), and a wide character that starts
/// just left of it and so reaches into it. Left there, that character would be drawn over
/// the popup's left border: the terminal shows its two columns, and ratatui's diff skips the
/// cell it covers, so the border is never sent.
fn clear(buf: &mut Buffer, r: Rect) {
    Clear.render(r, buf);
    let r = r.intersection(buf.area);
    if r.is_empty() || r.x <= buf.area.x {
        return;
    }
    for y in r.top()..r.bottom() {
        let left = &mut buf[(r.x - 1, y)];
        if left.symbol().width() > 1 {
            left.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wraps_cjk_by_width_and_hangs_punctuation() {
        let lines = wrap(&[run(Mark::Plain, "甲乙丙。丁")], 8, true);
        assert_eq!(texts(&lines), ["甲乙丙。", "丁"]);
        for w in 4..12 {
            for l in wrap(&[run(Mark::Plain, "甲乙丙丁戊己庚辛壬癸")], w, false) {
                assert!(l.width() <= w, "{w}: {l}");
            }
        }
    }

    #[test]
    fn marks_without_colour_reopen_at_a_wrap() {
        let runs = [run(Mark::Plain, "甲"), run(Mark::Inserted, "乙丙丁")];
        assert_eq!(texts(&wrap(&runs, 10, false)), ["甲{+乙+}", "{+丙丁+}"]);
        assert_eq!(texts(&wrap(&runs, 10, true)), ["甲乙丙丁"]);
    }

    #[test]
    fn control_characters_are_escaped() {
        let lines = wrap(&[run(Mark::Plain, "甲\u{1b}[2J乙")], 40, true);
        assert_eq!(texts(&lines), ["甲␛[2J乙"]);
    }

    #[test]
    fn fit_never_splits_a_wide_character() {
        assert_eq!(fit("中华人民共和国", 6), "中华…");
        assert_eq!(fit("中华人民共和国", 7), "中华人…");
        assert_eq!(fit("中华", 4), "中华");
        assert_eq!(keep_visible(10, 0, 5), 6);
        assert_eq!(keep_visible(2, 4, 5), 2);
    }
}
