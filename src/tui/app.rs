//! The browser's state and key handling, without a terminal: a stack of screens (statute list,
//! version timeline, amendment view, article history, an article's incoming citations, version
//! text), the data the loader has delivered, and `handle` turning a key into a state change and
//! requests for the loader.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::data::{Citations, CitesKey, PairKey, Request, Response, TextBlock, Trail, UnitKey};
use crate::diff::{ChangeSet, Entry};
use crate::render::select::is_change;
use crate::store::id::title_part;
use crate::store::read::StatuteHistory;

/// What the run loop does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Continue,
    Quit,
}

/// Which pane of the amendment view has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// A text being typed at the bottom line (filter or search).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub text: String,
    /// True while keys go into the text.
    pub editing: bool,
}

/// The statute list.
#[derive(Debug, Clone, Default)]
pub struct ListScreen {
    pub filter: Input,
    /// Indices into `App::statutes` that pass the filter.
    pub shown: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
}

/// A statute's versions, oldest first.
#[derive(Debug, Clone)]
pub struct TimelineScreen {
    pub id: String,
    pub selected: usize,
    pub offset: usize,
    /// A version marked to compare with another (`m`).
    pub mark: Option<usize>,
}

/// The amendment view of two versions.
#[derive(Debug, Clone)]
pub struct AmendmentScreen {
    pub key: PairKey,
    /// Show unchanged entries too (`a`).
    pub all: bool,
    /// The position in the shown entries.
    pub selected: usize,
    pub offset: usize,
    pub focus: Focus,
    /// Detail pane scroll, in rendered lines.
    pub scroll: usize,
    pub search: Input,
}

/// One article through every version.
#[derive(Debug, Clone)]
pub struct HistoryScreen {
    pub key: UnitKey,
    pub scroll: usize,
}

/// The citations of one article (through every number it had) by other stored statutes.
#[derive(Debug, Clone)]
pub struct CitesScreen {
    pub key: CitesKey,
    /// The cited statute's title and the article's latest label(s), for the header.
    pub title: String,
    pub labels: String,
    pub scroll: usize,
}

/// A version's text, with search.
#[derive(Debug, Clone)]
pub struct TextScreen {
    pub id: String,
    pub version: usize,
    /// The block at the top of the view.
    pub top: usize,
    pub search: Input,
}

#[derive(Debug, Clone)]
pub enum Screen {
    List(ListScreen),
    Timeline(TimelineScreen),
    Amendment(AmendmentScreen),
    History(HistoryScreen),
    Cites(CitesScreen),
    Text(TextScreen),
}

/// Where the last frame put the panes, for the mouse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// The rows of the current list (without borders).
    pub list: Rect,
    /// The scrolling pane (detail, history, text).
    pub detail: Rect,
}

/// The whole browser state.
#[derive(Debug)]
pub struct App {
    /// Every statute id in the store, ordered (empty until the loader has read them, while
    /// `pending` holds [`Request::Ids`]).
    pub statutes: Vec<String>,
    pub screens: Vec<Screen>,
    pub help: bool,
    /// Colours (false: marks only, as with `NO_COLOR`).
    pub color: bool,
    /// Side by side instead of inline in the detail pane.
    pub side_by_side: bool,
    pub histories: HashMap<String, Arc<StatuteHistory>>,
    /// Change sets per version pair: computed once by the loader, never on redraw.
    pub diffs: HashMap<PairKey, Arc<ChangeSet>>,
    pub trails: HashMap<UnitKey, Arc<Trail>>,
    pub texts: HashMap<(String, usize), Arc<Vec<TextBlock>>>,
    /// Incoming citations per article (lineage id).
    pub cites: HashMap<CitesKey, Arc<Citations>>,
    /// Requests sent and not yet answered.
    pub pending: HashSet<Request>,
    /// Requests to send, drained by the run loop.
    pub outbox: Vec<Request>,
    /// A message for the status line (errors, "no match").
    pub message: Option<String>,
    pub areas: Areas,
}

/// Lines moved by PgUp/PgDn when the pane height is not known yet.
const PAGE: usize = 10;
/// Lines moved by one mouse wheel step.
const WHEEL: usize = 3;

impl App {
    /// A browser on the statute list.
    pub fn new(statutes: Vec<String>, color: bool) -> App {
        let mut app = App {
            statutes,
            screens: Vec::new(),
            help: false,
            color,
            side_by_side: false,
            histories: HashMap::new(),
            diffs: HashMap::new(),
            trails: HashMap::new(),
            texts: HashMap::new(),
            cites: HashMap::new(),
            pending: HashSet::new(),
            outbox: Vec::new(),
            message: None,
            areas: Areas::default(),
        };
        let mut list = ListScreen::default();
        app.refilter(&mut list);
        app.screens.push(Screen::List(list));
        app
    }

    /// A browser whose statute list the loader reads: the first frame is drawn at once, the
    /// list when the ids arrive.
    pub fn loading(color: bool) -> App {
        let mut app = App::new(Vec::new(), color);
        app.request(Request::Ids);
        app
    }

    /// True until the statute list has arrived.
    pub fn loading_ids(&self) -> bool {
        self.pending.contains(&Request::Ids)
    }

    pub fn screen(&self) -> &Screen {
        // `screens` is never empty: the list is never popped.
        &self.screens[self.screens.len() - 1]
    }

    /// The statute's title as shown (its id without the hash).
    pub fn title(id: &str) -> &str {
        title_part(id)
    }

    fn refilter(&self, list: &mut ListScreen) {
        let f = list.filter.text.trim().to_lowercase();
        list.shown = self
            .statutes
            .iter()
            .enumerate()
            .filter(|(_, id)| f.is_empty() || title_part(id).to_lowercase().contains(&f))
            .map(|(i, _)| i)
            .collect();
        list.selected = list.selected.min(list.shown.len().saturating_sub(1));
    }

    /// Asks the loader for something, once.
    fn request(&mut self, r: Request) {
        if self.pending.insert(r.clone()) {
            self.outbox.push(r);
        }
    }

    /// Takes what the loader answered.
    pub fn deliver(&mut self, r: Response) {
        let (req, err) = match r {
            Response::Ids(res) => match res {
                Ok(ids) => {
                    self.statutes = Arc::unwrap_or_clone(ids);
                    let mut list = match self.screens.first_mut() {
                        Some(Screen::List(l)) => std::mem::take(l),
                        _ => ListScreen::default(),
                    };
                    self.refilter(&mut list);
                    if let Some(Screen::List(l)) = self.screens.first_mut() {
                        *l = list;
                    }
                    (Request::Ids, None)
                }
                Err(e) => (Request::Ids, Some(e)),
            },
            Response::History(id, res) => {
                let req = Request::History(id.clone());
                match res {
                    Ok(h) => {
                        // Open on the latest version.
                        let last = h.versions.len().saturating_sub(1);
                        for s in &mut self.screens {
                            if let Screen::Timeline(t) = s
                                && t.id == id
                                && !self.histories.contains_key(&id)
                            {
                                t.selected = last;
                            }
                        }
                        self.histories.insert(id, h);
                        (req, None)
                    }
                    Err(e) => (req, Some(e)),
                }
            }
            Response::Diff(key, res) => {
                let req = Request::Diff(key.clone());
                match res {
                    Ok(cs) => {
                        self.diffs.insert(key, cs);
                        (req, None)
                    }
                    Err(e) => (req, Some(e)),
                }
            }
            Response::Article(key, res) => {
                let req = Request::Article(key.clone());
                match res {
                    Ok(t) => {
                        self.trails.insert(key, t);
                        (req, None)
                    }
                    Err(e) => (req, Some(e)),
                }
            }
            Response::Text((id, version), res) => {
                let req = Request::Text {
                    id: id.clone(),
                    version,
                };
                match res {
                    Ok(t) => {
                        self.texts.insert((id, version), t);
                        (req, None)
                    }
                    Err(e) => (req, Some(e)),
                }
            }
            Response::Cites(key, res) => {
                let req = Request::Cites(key.clone());
                match res {
                    Ok(c) => {
                        self.cites.insert(key, c);
                        (req, None)
                    }
                    Err(e) => (req, Some(e)),
                }
            }
        };
        self.pending.remove(&req);
        if let Some(e) = err {
            self.message = Some(e);
        }
    }

    /// True while the loader works on something the current screen shows.
    pub fn waiting(&self) -> bool {
        match self.screen() {
            Screen::List(_) => self.loading_ids(),
            Screen::Timeline(t) => !self.histories.contains_key(&t.id),
            Screen::Amendment(a) => !self.diffs.contains_key(&a.key),
            Screen::History(h) => !self.trails.contains_key(&h.key),
            Screen::Cites(c) => !self.cites.contains_key(&c.key),
            Screen::Text(t) => !self.texts.contains_key(&(t.id.clone(), t.version)),
        }
    }

    /// The entries the amendment view lists: changed or renumbered ones, or all.
    pub fn entries(cs: &ChangeSet, all: bool) -> Vec<&Entry> {
        cs.entries
            .iter()
            .filter(|e| all || is_change(e) || e.renumbered)
            .collect()
    }

    /// The entry selected in an amendment screen, when its change set is there.
    pub fn selected_entry<'a>(&'a self, a: &AmendmentScreen) -> Option<&'a Entry> {
        let cs = self.diffs.get(&a.key)?;
        Self::entries(cs, a.all).get(a.selected).copied()
    }

    /// Handles one key.
    pub fn handle(&mut self, key: KeyEvent) -> Action {
        if key.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return Action::Continue;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        if self.editing() {
            self.edit(key);
            return Action::Continue;
        }
        self.message = None;
        if self.help {
            match key.code {
                KeyCode::Char('q') => return Action::Quit,
                _ => self.help = false,
            }
            return Action::Continue;
        }
        match key.code {
            // The citations go back to the history they were opened from.
            KeyCode::Char('q') if matches!(self.screen(), Screen::Cites(_)) => {
                self.back();
                return Action::Continue;
            }
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Char('?') => {
                self.help = true;
                return Action::Continue;
            }
            KeyCode::Esc | KeyCode::Backspace => {
                self.back();
                return Action::Continue;
            }
            _ => {}
        }
        let len = self.screens.len();
        let mut screen = self.screens[len - 1].clone();
        match &mut screen {
            Screen::List(l) => self.list_key(l, key),
            Screen::Timeline(t) => self.timeline_key(t, key),
            Screen::Amendment(a) => self.amendment_key(a, key),
            Screen::History(h) => match key.code {
                KeyCode::Char('c') => self.open_cites(&h.key),
                _ => {
                    if let Some(m) = motion(key) {
                        h.scroll = m.apply(h.scroll, usize::MAX);
                    }
                }
            },
            Screen::Cites(c) => {
                if let Some(m) = motion(key) {
                    c.scroll = m.apply(c.scroll, usize::MAX);
                }
            }
            Screen::Text(t) => self.text_key(t, key),
        }
        // The key handlers may have pushed a screen; write back the one that was on top.
        self.screens[len - 1] = screen;
        Action::Continue
    }

    fn editing(&self) -> bool {
        match self.screen() {
            Screen::List(l) => l.filter.editing,
            Screen::Amendment(a) => a.search.editing,
            Screen::Text(t) => t.search.editing,
            _ => false,
        }
    }

    /// A key while typing a filter or search.
    fn edit(&mut self, key: KeyEvent) {
        let len = self.screens.len();
        let mut screen = self.screens[len - 1].clone();
        let input = match &mut screen {
            Screen::List(l) => &mut l.filter,
            Screen::Amendment(a) => &mut a.search,
            Screen::Text(t) => &mut t.search,
            _ => return,
        };
        let mut changed = false;
        let mut accept = false;
        match key.code {
            KeyCode::Enter => {
                input.editing = false;
                accept = true;
            }
            KeyCode::Esc => {
                input.editing = false;
                input.text.clear();
                changed = true;
            }
            KeyCode::Backspace => {
                changed = input.text.pop().is_some();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.text.push(c);
                changed = true;
            }
            _ => {}
        }
        match &mut screen {
            // The list filters as one types.
            Screen::List(l) if changed => {
                self.refilter(l);
                l.selected = 0;
                l.offset = 0;
            }
            Screen::Amendment(a) if accept => self.find_entry(a, true, true),
            Screen::Text(t) if accept => self.find_block(t, true, true),
            _ => {}
        }
        self.screens[len - 1] = screen;
    }

    /// Esc / Backspace: out of the detail pane, else back one screen (the list stays).
    fn back(&mut self) {
        if let Some(Screen::Amendment(a)) = self.screens.last_mut()
            && a.focus == Focus::Detail
        {
            a.focus = Focus::List;
            return;
        }
        if let Some(Screen::List(l)) = self.screens.last_mut() {
            if !l.filter.text.is_empty() {
                l.filter.text.clear();
                let mut l = l.clone();
                self.refilter(&mut l);
                self.screens[0] = Screen::List(l);
            }
            return;
        }
        self.screens.pop();
    }

    fn list_key(&mut self, l: &mut ListScreen, key: KeyEvent) {
        match key.code {
            KeyCode::Char('/') => l.filter.editing = true,
            KeyCode::Enter => {
                if let Some(&i) = l.shown.get(l.selected) {
                    let id = self.statutes[i].clone();
                    self.open_timeline(id);
                }
            }
            _ => {
                if let Some(m) = motion(key) {
                    l.selected = m.apply(l.selected, l.shown.len().saturating_sub(1));
                }
            }
        }
    }

    fn open_timeline(&mut self, id: String) {
        let selected = self
            .histories
            .get(&id)
            .map_or(0, |h| h.versions.len().saturating_sub(1));
        if !self.histories.contains_key(&id) {
            self.request(Request::History(id.clone()));
        }
        self.screens.push(Screen::Timeline(TimelineScreen {
            id,
            selected,
            offset: 0,
            mark: None,
        }));
    }

    fn timeline_key(&mut self, t: &mut TimelineScreen, key: KeyEvent) {
        let n = self.histories.get(&t.id).map_or(0, |h| h.versions.len());
        match key.code {
            KeyCode::Char('m') | KeyCode::Char(' ') => {
                t.mark = if t.mark == Some(t.selected) {
                    None
                } else {
                    Some(t.selected)
                };
            }
            KeyCode::Enter if n > 0 => {
                let pair = match t.mark {
                    Some(m) if m != t.selected => Some((m.min(t.selected), m.max(t.selected))),
                    _ if t.selected > 0 => Some((t.selected - 1, t.selected)),
                    _ => None,
                };
                match pair {
                    Some((from, to)) => self.open_amendment(PairKey {
                        id: t.id.clone(),
                        from,
                        to,
                    }),
                    // The first version has nothing before it: show its text.
                    None => self.open_text(t.id.clone(), t.selected, false),
                }
            }
            KeyCode::Char('t') if n > 0 => self.open_text(t.id.clone(), t.selected, false),
            KeyCode::Char('/') if n > 0 => self.open_text(t.id.clone(), t.selected, true),
            _ => {
                if let Some(m) = motion(key) {
                    t.selected = m.apply(t.selected, n.saturating_sub(1));
                }
            }
        }
    }

    /// Opens the amendment view of a pair of versions.
    pub fn open_amendment(&mut self, key: PairKey) {
        if !self.diffs.contains_key(&key) {
            self.request(Request::Diff(key.clone()));
        }
        self.screens.push(Screen::Amendment(AmendmentScreen {
            key,
            all: false,
            selected: 0,
            offset: 0,
            focus: Focus::List,
            scroll: 0,
            search: Input::default(),
        }));
    }

    fn open_text(&mut self, id: String, version: usize, search: bool) {
        let k = (id.clone(), version);
        if !self.texts.contains_key(&k) {
            self.request(Request::Text {
                id: id.clone(),
                version,
            });
        }
        self.screens.push(Screen::Text(TextScreen {
            id,
            version,
            top: 0,
            search: Input {
                text: String::new(),
                editing: search,
            },
        }));
    }

    fn amendment_key(&mut self, a: &mut AmendmentScreen, key: KeyEvent) {
        let n = self
            .diffs
            .get(&a.key)
            .map_or(0, |cs| Self::entries(cs, a.all).len());
        match key.code {
            KeyCode::Tab | KeyCode::BackTab => {
                a.focus = match a.focus {
                    Focus::List => Focus::Detail,
                    Focus::Detail => Focus::List,
                }
            }
            KeyCode::Enter => a.focus = Focus::Detail,
            KeyCode::Char('s') => self.side_by_side = !self.side_by_side,
            KeyCode::Char('a') => {
                // Keep the selected entry selected when the list changes.
                let current = self.selected_entry(a).map(|e| e as *const Entry);
                a.all = !a.all;
                if let Some(cs) = self.diffs.get(&a.key) {
                    let list = Self::entries(cs, a.all);
                    a.selected = current
                        .and_then(|p| list.iter().position(|e| std::ptr::eq(*e, p)))
                        .unwrap_or(0);
                }
                a.scroll = 0;
            }
            KeyCode::Char('h') => {
                if let Some(e) = self.selected_entry(a) {
                    let key = match (e.new.first(), e.old.first()) {
                        (Some(u), _) => UnitKey {
                            id: a.key.id.clone(),
                            version: a.key.to,
                            unit: u.index,
                        },
                        (None, Some(u)) => UnitKey {
                            id: a.key.id.clone(),
                            version: a.key.from,
                            unit: u.index,
                        },
                        (None, None) => return,
                    };
                    self.open_history(key);
                }
            }
            KeyCode::Char('/') => {
                a.search.editing = true;
                a.search.text.clear();
            }
            KeyCode::Char('n') => self.find_entry(a, true, false),
            KeyCode::Char('N') => self.find_entry(a, false, false),
            _ => {
                if let Some(m) = motion(key) {
                    match a.focus {
                        Focus::List => {
                            let before = a.selected;
                            a.selected = m.apply(a.selected, n.saturating_sub(1));
                            if a.selected != before {
                                a.scroll = 0;
                            }
                        }
                        Focus::Detail => a.scroll = m.apply(a.scroll, usize::MAX),
                    }
                }
            }
        }
    }

    /// Opens the history of one unit.
    pub fn open_history(&mut self, key: UnitKey) {
        if !self.trails.contains_key(&key) {
            self.request(Request::Article(key.clone()));
        }
        self.screens
            .push(Screen::History(HistoryScreen { key, scroll: 0 }));
    }

    /// Opens the incoming citations of the article whose history is shown (once its trail
    /// is there: the trail gives the lineage id).
    fn open_cites(&mut self, unit: &UnitKey) {
        let Some(trail) = self.trails.get(unit) else {
            return;
        };
        let h = &trail.history;
        let key = CitesKey {
            id: h.statute.clone(),
            lineage: h.lineage_id.clone(),
        };
        // The article's labels in the latest version that has it.
        let labels = h
            .versions
            .iter()
            .rev()
            .find(|v| !v.units.is_empty())
            .map(|v| {
                v.units
                    .iter()
                    .map(|(u, _)| u.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default();
        let screen = CitesScreen {
            key: key.clone(),
            title: h.title.clone(),
            labels,
            scroll: 0,
        };
        if !self.cites.contains_key(&key) {
            self.request(Request::Cites(key));
        }
        self.screens.push(Screen::Cites(screen));
    }

    /// Moves to the next (or previous) entry whose labels or text contain the search.
    fn find_entry(&mut self, a: &mut AmendmentScreen, forward: bool, here: bool) {
        let q = a.search.text.trim().to_string();
        if q.is_empty() {
            return;
        }
        let Some(cs) = self.diffs.get(&a.key) else {
            return;
        };
        let list = Self::entries(cs, a.all);
        let hit = |e: &Entry| {
            e.old.iter().chain(&e.new).any(|u| u.label.contains(&q))
                || e.diff.iter().any(|s| s.text.contains(&q))
        };
        match next_match(list.len(), a.selected, forward, here, |i| hit(list[i])) {
            Some(i) => {
                a.selected = i;
                a.scroll = 0;
            }
            None => self.message = Some(format!("未找到 “{q}”")),
        }
    }

    fn text_key(&mut self, t: &mut TextScreen, key: KeyEvent) {
        let n = self
            .texts
            .get(&(t.id.clone(), t.version))
            .map_or(0, |b| b.len());
        match key.code {
            KeyCode::Char('/') => {
                t.search.editing = true;
                t.search.text.clear();
            }
            KeyCode::Char('n') => self.find_block(t, true, false),
            KeyCode::Char('N') => self.find_block(t, false, false),
            _ => {
                if let Some(m) = motion(key) {
                    t.top = m.apply(t.top, n.saturating_sub(1));
                }
            }
        }
    }

    /// Moves the text view to the next (or previous) block containing the search.
    fn find_block(&mut self, t: &mut TextScreen, forward: bool, here: bool) {
        let q = t.search.text.trim().to_string();
        if q.is_empty() {
            return;
        }
        let Some(blocks) = self.texts.get(&(t.id.clone(), t.version)) else {
            return;
        };
        let hit = |i: usize| blocks[i].text.contains(&q) || blocks[i].label.contains(&q);
        match next_match(blocks.len(), t.top, forward, here, hit) {
            Some(i) => t.top = i,
            None => self.message = Some(format!("未找到 “{q}”")),
        }
    }

    /// Handles a mouse event: the wheel scrolls the pane under the pointer, a click in a list
    /// selects the row.
    pub fn mouse(&mut self, ev: MouseEvent) -> Action {
        let at = |r: Rect| {
            ev.column >= r.x
                && ev.column < r.x + r.width
                && ev.row >= r.y
                && ev.row < r.y + r.height
        };
        let in_list = at(self.areas.list);
        let in_detail = at(self.areas.detail);
        let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
        match ev.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let key = if ev.kind == MouseEventKind::ScrollDown {
                    down
                } else {
                    up
                };
                if let Some(Screen::Amendment(a)) = self.screens.last_mut() {
                    let want = if in_detail {
                        Focus::Detail
                    } else {
                        Focus::List
                    };
                    let was = a.focus;
                    a.focus = want;
                    for _ in 0..WHEEL {
                        self.handle(key);
                    }
                    if let Some(Screen::Amendment(a)) = self.screens.last_mut() {
                        a.focus = was;
                    }
                } else {
                    for _ in 0..WHEEL {
                        self.handle(key);
                    }
                }
            }
            MouseEventKind::Down(MouseButton::Left) if in_list => {
                let row = (ev.row - self.areas.list.y) as usize;
                match self.screens.last_mut() {
                    Some(Screen::List(l)) => {
                        l.selected = (l.offset + row).min(l.shown.len().saturating_sub(1));
                    }
                    Some(Screen::Timeline(t)) => {
                        let n = self.histories.get(&t.id).map_or(0, |h| h.versions.len());
                        t.selected = (t.offset + row).min(n.saturating_sub(1));
                    }
                    Some(Screen::Amendment(a)) => {
                        let n = self
                            .diffs
                            .get(&a.key)
                            .map_or(0, |cs| Self::entries(cs, a.all).len());
                        let before = a.selected;
                        a.selected = (a.offset + row).min(n.saturating_sub(1));
                        a.focus = Focus::List;
                        if a.selected != before {
                            a.scroll = 0;
                        }
                    }
                    _ => {}
                }
            }
            MouseEventKind::Down(MouseButton::Left) if in_detail => {
                if let Some(Screen::Amendment(a)) = self.screens.last_mut() {
                    a.focus = Focus::Detail;
                }
            }
            _ => {}
        }
        Action::Continue
    }
}

/// The first position from `from` (itself when `here`) in the direction asked, wrapping
/// around, for which `hit` holds.
fn next_match(
    len: usize,
    from: usize,
    forward: bool,
    here: bool,
    hit: impl Fn(usize) -> bool,
) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let start = if here { 0 } else { 1 };
    (start..=len)
        .map(|step| {
            if forward {
                (from + step) % len
            } else {
                (from + len * 2 - step) % len
            }
        })
        .find(|&i| hit(i))
}

/// A cursor or scroll motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    Up(usize),
    Down(usize),
    Top,
    Bottom,
}

impl Motion {
    /// The position after the motion, within `0..=max`.
    pub fn apply(self, pos: usize, max: usize) -> usize {
        match self {
            Motion::Up(n) => pos.saturating_sub(n),
            Motion::Down(n) => pos.saturating_add(n).min(max),
            Motion::Top => 0,
            Motion::Bottom => max,
        }
        .min(max)
    }
}

/// The motion a key stands for: j/k and arrows, g/G and Home/End, PgUp/PgDn (and Ctrl-u/d).
pub fn motion(key: KeyEvent) -> Option<Motion> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('d') if ctrl => Motion::Down(PAGE),
        KeyCode::Char('u') if ctrl => Motion::Up(PAGE),
        KeyCode::Char('j') | KeyCode::Down => Motion::Down(1),
        KeyCode::Char('k') | KeyCode::Up => Motion::Up(1),
        KeyCode::Char('g') | KeyCode::Home => Motion::Top,
        KeyCode::Char('G') | KeyCode::End => Motion::Bottom,
        KeyCode::PageDown => Motion::Down(PAGE),
        KeyCode::PageUp => Motion::Up(PAGE),
        _ => return None,
    })
}

/// Every key, for the help overlay: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    ("j k ↑ ↓", "上下移动，或滚动详情"),
    ("g G Home End", "第一行、最后一行"),
    ("PgUp PgDn", "上翻、下翻十行"),
    ("Enter", "打开（法规、修改、条目）"),
    ("Esc Backspace", "返回"),
    ("Tab", "切换条目列表与详情"),
    ("/", "过滤列表；搜索全文或条目"),
    ("n N", "下一处、上一处匹配"),
    ("m Space", "标记版本，与另一版本比较"),
    ("t", "该版本全文"),
    ("s", "差异 / 左右对照"),
    ("a", "全部条目 / 仅修改条目"),
    ("h", "所选条文的沿革"),
    ("c", "沿革中：引用该条文的法规"),
    ("?", "本帮助"),
    ("q Ctrl-C", "退出（引用列表中：返回）"),
    ("wheel / click", "滚动 / 选择"),
];

/// The entry markers, for the help overlay.
pub const MARKERS: &[(&str, &str)] = &[
    ("+", "新增"),
    ("-", "删除"),
    ("M", "修改"),
    ("f", "形式修改"),
    ("r", "仅结构调整"),
    ("S", "拆分"),
    ("J", "合并"),
    ("#", "条序变化"),
    ("@", "移动"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{StoredVersion, VersionMeta};

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn code(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn version(label: &str, summary: Option<&str>) -> StoredVersion {
        StoredVersion {
            commit: git2::Oid::ZERO_SHA1,
            blob: git2::Oid::ZERO_SHA1,
            label: label.into(),
            date: crate::model::Date::parse_iso(label).expect("date"),
            meta: VersionMeta {
                id: "测试条例-00000000".into(),
                title: "测试条例".into(),
                ..VersionMeta::default()
            },
            summary: summary.map(str::to_string),
            substantive: summary.map(|_| true),
            event: None,
        }
    }

    fn parse(text: &str) -> crate::Statute {
        crate::parse_str(std::path::Path::new("t.md"), text)
            .expect("parse")
            .statute
    }

    fn app() -> App {
        App::new(
            vec![
                "北京市物业管理条例-11111111".into(),
                "测试条例-00000000".into(),
                "中华人民共和国立法法-22222222".into(),
            ],
            false,
        )
    }

    /// The app on the amendment view of the test statute, with its change set delivered.
    fn on_amendment() -> App {
        let mut a = app();
        a.handle(code(KeyCode::Down));
        a.handle(code(KeyCode::Enter));
        let id = "测试条例-00000000".to_string();
        a.deliver(Response::History(
            id.clone(),
            Ok(Arc::new(StatuteHistory {
                id: id.clone(),
                versions: vec![
                    version("2000-01-01", None),
                    version("2010-01-01", Some("新增 1 条")),
                ],
            })),
        ));
        a.outbox.clear();
        a.handle(code(KeyCode::Enter));
        let key = PairKey { id, from: 0, to: 1 };
        assert_eq!(a.outbox, [Request::Diff(key.clone())]);
        let old = parse(
            "# 测试条例\n\n第一条 为了规范测试工作，制定本条例。\n\n第二条 本条例适用于本市的软件测试活动。\n",
        );
        let new = parse(
            "# 测试条例\n\n第一条 为了规范测试工作，保障测试质量，制定本条例。\n\n\
             第二条 市人民政府应当加强对测试工作的领导。\n\n第三条 本条例适用于本市的软件测试活动。\n",
        );
        a.deliver(Response::Diff(
            key,
            Ok(Arc::new(crate::diff::diff(&old, &new))),
        ));
        a
    }

    #[test]
    fn the_filter_narrows_as_one_types_and_esc_clears_it() {
        let mut a = app();
        assert_eq!(a.handle(key('/')), Action::Continue);
        for c in "立法".chars() {
            a.handle(key(c));
        }
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert_eq!(l.shown, [2]);
        assert!(l.filter.editing);
        // q is typed while editing, not quit.
        assert_eq!(a.handle(key('q')), Action::Continue);
        a.handle(code(KeyCode::Backspace));
        a.handle(code(KeyCode::Enter));
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert!(!l.filter.editing);
        assert_eq!(l.filter.text, "立法");
        a.handle(code(KeyCode::Esc));
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert_eq!(l.shown.len(), 3);
        assert_eq!(a.handle(key('q')), Action::Quit);
    }

    #[test]
    fn motions_stay_in_range() {
        let mut a = app();
        a.handle(key('G'));
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert_eq!(l.selected, 2);
        a.handle(key('j'));
        a.handle(code(KeyCode::PageDown));
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert_eq!(l.selected, 2);
        a.handle(key('g'));
        a.handle(key('k'));
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert_eq!(l.selected, 0);
        assert_eq!(Motion::Down(10).apply(5, 7), 7);
        assert_eq!(Motion::Up(10).apply(5, 7), 0);
    }

    #[test]
    fn enter_opens_the_timeline_and_asks_for_the_history_once() {
        let mut a = app();
        a.handle(key('j'));
        a.handle(code(KeyCode::Enter));
        assert!(matches!(a.screen(), Screen::Timeline(t) if t.id == "测试条例-00000000"));
        assert_eq!(a.outbox, [Request::History("测试条例-00000000".into())]);
        assert!(a.waiting());
        // Back and in again: the request is still pending, not sent twice.
        a.handle(code(KeyCode::Esc));
        a.handle(code(KeyCode::Enter));
        assert_eq!(a.outbox.len(), 1);
        // The list itself is never popped.
        a.handle(code(KeyCode::Esc));
        a.handle(code(KeyCode::Esc));
        assert_eq!(a.screens.len(), 1);
    }

    #[test]
    fn the_amendment_view_lists_changes_and_toggles() {
        let mut a = on_amendment();
        assert!(!a.waiting());
        let Screen::Amendment(s) = a.screen().clone() else {
            panic!("amendment")
        };
        let cs = a.diffs.get(&s.key).expect("cached").clone();
        let changed = App::entries(&cs, false).len();
        assert!(changed >= 2, "{changed}");
        assert_eq!(App::entries(&cs, true).len(), cs.entries.len());
        a.handle(key('j'));
        a.handle(key('s'));
        assert!(a.side_by_side);
        a.handle(code(KeyCode::Tab));
        a.handle(key('j'));
        let Screen::Amendment(s) = a.screen() else {
            panic!("amendment")
        };
        assert_eq!((s.selected, s.focus, s.scroll), (1, Focus::Detail, 1));
        // Esc leaves the detail pane first, then the view.
        a.handle(code(KeyCode::Esc));
        assert!(matches!(a.screen(), Screen::Amendment(s) if s.focus == Focus::List));
        a.handle(code(KeyCode::Esc));
        assert!(matches!(a.screen(), Screen::Timeline(_)));
    }

    #[test]
    fn search_finds_entries_and_wraps_around() {
        let mut a = on_amendment();
        a.handle(key('/'));
        for c in "领导".chars() {
            a.handle(key(c));
        }
        a.handle(code(KeyCode::Enter));
        let Screen::Amendment(s) = a.screen().clone() else {
            panic!("amendment")
        };
        let e = a.selected_entry(&s).expect("entry");
        assert!(e.diff.iter().any(|x| x.text.contains("领导")));
        let at = s.selected;
        a.handle(key('n'));
        assert!(matches!(a.screen(), Screen::Amendment(s) if s.selected == at));
        a.handle(key('/'));
        a.handle(key('无'));
        a.handle(code(KeyCode::Enter));
        assert!(a.message.as_deref().is_some_and(|m| m.contains("未找到")));
    }

    #[test]
    fn h_opens_the_selected_articles_history() {
        let mut a = on_amendment();
        a.outbox.clear();
        a.handle(key('h'));
        let Screen::History(h) = a.screen() else {
            panic!("history")
        };
        assert_eq!(h.key.version, 1);
        assert_eq!(a.outbox, [Request::Article(h.key.clone())]);
        assert!(a.waiting());
    }

    #[test]
    fn c_waits_for_the_trail_then_opens_the_citations() {
        let mut a = on_amendment();
        a.handle(key('h'));
        a.outbox.clear();
        // Before the trail arrives there is no lineage id to ask about.
        a.handle(key('c'));
        assert!(matches!(a.screen(), Screen::History(_)));
        assert!(a.outbox.is_empty());
    }

    #[test]
    fn help_opens_and_any_key_closes_it() {
        let mut a = app();
        a.handle(key('?'));
        assert!(a.help);
        a.handle(key('j'));
        assert!(!a.help);
        let Screen::List(l) = a.screen() else {
            panic!("list")
        };
        assert_eq!(l.selected, 0, "the closing key does nothing else");
    }

    #[test]
    fn marked_versions_are_compared() {
        let mut a = on_amendment();
        a.handle(code(KeyCode::Esc));
        a.handle(key('m'));
        a.handle(key('k'));
        a.outbox.clear();
        a.handle(code(KeyCode::Enter));
        // Versions 1 (marked) and 0: compared oldest first, and already cached.
        assert!(a.outbox.is_empty());
        assert!(matches!(a.screen(), Screen::Amendment(s) if (s.key.from, s.key.to) == (0, 1)));
    }

    #[test]
    fn errors_reach_the_status_line() {
        let mut a = app();
        a.handle(code(KeyCode::Enter));
        a.deliver(Response::History(
            "北京市物业管理条例-11111111".into(),
            Err("store is corrupt".into()),
        ));
        assert!(a.pending.is_empty());
        assert_eq!(a.message.as_deref(), Some("store is corrupt"));
    }

    #[test]
    fn the_wheel_scrolls_and_a_click_selects() {
        let mut a = app();
        a.areas.list = Rect::new(0, 1, 40, 10);
        let ev = |kind, row| MouseEvent {
            kind,
            column: 5,
            row,
            modifiers: KeyModifiers::NONE,
        };
        a.mouse(ev(MouseEventKind::Down(MouseButton::Left), 3));
        assert!(matches!(a.screen(), Screen::List(l) if l.selected == 2));
        a.mouse(ev(MouseEventKind::ScrollUp, 3));
        assert!(matches!(a.screen(), Screen::List(l) if l.selected == 0));
        // Outside the list: nothing selected.
        a.mouse(ev(MouseEventKind::Down(MouseButton::Left), 20));
        assert!(matches!(a.screen(), Screen::List(l) if l.selected == 0));
    }

    #[test]
    fn next_match_wraps() {
        let hits = [false, true, false, true];
        assert_eq!(next_match(4, 3, true, false, |i| hits[i]), Some(1));
        assert_eq!(next_match(4, 1, false, false, |i| hits[i]), Some(3));
        assert_eq!(next_match(4, 1, true, true, |i| hits[i]), Some(1));
        assert_eq!(next_match(0, 0, true, true, |_| true), None);
    }
}
