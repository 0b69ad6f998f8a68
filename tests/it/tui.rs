//! The terminal browser (`statute browse`) without a terminal: every screen drawn into
//! ratatui's `TestBackend` and snapshotted (80×24, a wide and a narrow case), CJK widths at
//! every terminal width, hostile text escaped, and 立法法 from the corpus followed from its
//! 2023 amendment to a renumbered article's history.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};
use statute::tui::app::Screen;
use statute::tui::data::Loader;
use statute::tui::{App, ui};

use crate::common::{corpus, fixture, root};

/// A store of the every-kind park pair, the hostile pair and the bundled 天津 versions, with
/// a loader on it and a browser (without colour: marks) on its statutes.
fn setup() -> (tempfile::TempDir, Loader, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init(&dir.path().join("store")).expect("init");
    let inputs = [
        fixture("park-2020.md"),
        fixture("park-2024.md"),
        fixture("hostile-old.md"),
        fixture("hostile-new.md"),
        root().join("versions"),
    ];
    let r = store
        .import(&inputs, &ImportOptions::default(), &Quiet)
        .expect("import");
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    let app = App::new(store.ids().expect("ids"), false);
    (dir, Loader::new(store), app)
}

/// Serves every request the browser made, as the worker thread would.
fn settle(loader: &mut Loader, app: &mut App) {
    while !app.outbox.is_empty() {
        let reqs: Vec<_> = app.outbox.drain(..).collect();
        for r in reqs {
            let resp = loader.serve(r);
            app.deliver(resp);
        }
    }
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.handle(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn code(app: &mut App, c: KeyCode) {
    app.handle(KeyEvent::new(c, KeyModifiers::NONE));
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| ui::draw(f, app)).expect("draw");
    t
}

/// Every row of the buffer, as text (the cell after a wide character skipped), each checked
/// to fill exactly the width: no double-width character is split or pushes a row out.
fn rows(buf: &Buffer) -> Vec<String> {
    let w = buf.area.width as usize;
    (0..buf.area.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = 0usize;
            while x < w {
                let sym = buf[(x as u16, y)].symbol();
                s.push_str(sym);
                x += sym.width().max(1);
            }
            assert_eq!(x, w, "row {y} overflows: {s}");
            assert_eq!(s.width(), w, "row {y}: {s}");
            s
        })
        .collect()
}

/// Opens the statute whose title contains `name` from the list.
fn open(loader: &mut Loader, app: &mut App, name: &str) {
    press(app, "/");
    press(app, name);
    code(app, KeyCode::Enter);
    code(app, KeyCode::Enter);
    settle(loader, app);
}

#[test]
fn list_80x24() {
    let (_d, _loader, mut app) = setup();
    let t = draw(&mut app, 80, 24);
    rows(t.backend().buffer());
    insta::assert_snapshot!(t.backend());
}

/// As `statute browse` starts: the first frame is drawn before the statute list is read
/// (the loader's first request); a filter typed meanwhile applies when the list arrives, and
/// then the list is the one a browser given the ids at once shows.
#[test]
fn the_first_frame_does_not_wait_for_the_statute_list() {
    let (_d, mut loader, mut given) = setup();
    let mut app = App::loading(false);
    assert_eq!(app.outbox, vec![statute::tui::data::Request::Ids]);
    let text = rows(draw(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(text.contains("正在读取法规列表"), "{text}");
    assert!(app.waiting());
    press(&mut app, "/公园");
    press(&mut given, "/公园");
    settle(&mut loader, &mut app);
    assert!(!app.loading_ids() && !app.waiting());
    assert_eq!(app.statutes, given.statutes);
    let text = rows(draw(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(text.contains("某某市公园管理条例"), "{text}");
    assert_eq!(
        rows(draw(&mut app, 80, 24).backend().buffer()),
        rows(draw(&mut given, 80, 24).backend().buffer())
    );
}

#[test]
fn list_filter_as_typed() {
    let (_d, _loader, mut app) = setup();
    press(&mut app, "/公园");
    let t = draw(&mut app, 80, 24);
    let text = rows(t.backend().buffer()).join("\n");
    assert!(text.contains("某某市公园管理条例"), "{text}");
    assert!(!text.contains("天津"), "{text}");
    assert!(text.contains("过滤 /公园"), "{text}");
}

#[test]
fn timeline_80x24() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "公园");
    let t = draw(&mut app, 80, 24);
    rows(t.backend().buffer());
    insta::assert_snapshot!(t.backend());
}

#[test]
fn amendment_inline_80x24() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "公园");
    code(&mut app, KeyCode::Enter);
    // Before the loader answers: computing…, and nothing computed on the UI side.
    let t = draw(&mut app, 80, 24);
    assert!(rows(t.backend().buffer()).join("\n").contains("computing…"));
    assert!(app.diffs.is_empty());
    settle(&mut loader, &mut app);
    // A renumbered entry (the fifth of the changes).
    press(&mut app, "jjjj");
    let t = draw(&mut app, 80, 24);
    rows(t.backend().buffer());
    insta::assert_snapshot!(t.backend());
}

#[test]
fn amendment_side_by_side_wide() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "公园");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    press(&mut app, "jsj");
    let t = draw(&mut app, 110, 30);
    rows(t.backend().buffer());
    insta::assert_snapshot!(t.backend());
}

#[test]
fn amendment_cjk_at_an_odd_narrow_width() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "天津");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    press(&mut app, "j");
    code(&mut app, KeyCode::Tab);
    // 61 columns: panes of odd widths, where a two-column character could be cut.
    let t = draw(&mut app, 61, 20);
    rows(t.backend().buffer());
    insta::assert_snapshot!(t.backend());
}

#[test]
fn every_screen_at_every_width_keeps_cjk_whole() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "天津");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    let mut screens = 0;
    for side in [false, true] {
        app.side_by_side = side;
        for keys in ["", "jjj", "h"] {
            press(&mut app, keys);
            settle(&mut loader, &mut app);
            for w in (20..=130).step_by(7) {
                for h in [8, 24, 40] {
                    let t = draw(&mut app, w, h);
                    rows(t.backend().buffer());
                    screens += 1;
                }
            }
        }
        code(&mut app, KeyCode::Esc);
    }
    assert!(screens > 100);
}

#[test]
fn history_80x24() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "公园");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    // The merged entry: its history reaches both merged articles.
    let Screen::Amendment(a) = app.screen().clone() else {
        panic!("amendment")
    };
    let cs = app.diffs.get(&a.key).expect("diff").clone();
    let merged = App::entries(&cs, false)
        .iter()
        .position(|e| e.kind == statute::diff::EntryKind::Merged)
        .expect("merged entry");
    for _ in 0..merged {
        press(&mut app, "j");
    }
    press(&mut app, "h");
    settle(&mut loader, &mut app);
    let t = draw(&mut app, 80, 24);
    let text = rows(t.backend().buffer()).join("\n");
    assert!(text.contains("第八条") && text.contains("第九条"), "{text}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn text_search_80x24() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "公园");
    press(&mut app, "/");
    settle(&mut loader, &mut app);
    press(&mut app, "游泳");
    code(&mut app, KeyCode::Enter);
    let Screen::Text(t) = app.screen().clone() else {
        panic!("text")
    };
    assert!(t.top > 0, "moved to the match");
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_80x24() {
    let (_d, _loader, mut app) = setup();
    press(&mut app, "?");
    let t = draw(&mut app, 80, 24);
    let text = rows(t.backend().buffer()).join("\n");
    for (keys, _) in statute::tui::app::KEYS {
        assert!(text.contains(keys), "{keys} missing:\n{text}");
    }
    insta::assert_snapshot!(t.backend());
}

#[test]
fn hostile_text_is_shown_escaped() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "测试");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    press(&mut app, "a");
    let mut all = String::new();
    let Screen::Amendment(a) = app.screen().clone() else {
        panic!("amendment")
    };
    let n = App::entries(app.diffs.get(&a.key).expect("diff"), true).len();
    for side in [false, true] {
        app.side_by_side = side;
        for _ in 0..n {
            let t = draw(&mut app, 100, 40);
            all.push_str(&rows(t.backend().buffer()).join("\n"));
            press(&mut app, "j");
        }
        press(&mut app, "g");
    }
    assert!(all.contains('␛'), "{all}");
    assert!(
        !all.chars()
            .any(|c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c))),
        "a raw control character reached the screen"
    );
}

#[test]
fn monochrome_marks_and_colour_styles() {
    let (_d, mut loader, mut app) = setup();
    open(&mut loader, &mut app, "公园");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    // 第三条: insertions.
    press(&mut app, "j");
    let mono = rows(draw(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(mono.contains("{+"), "{mono}");
    app.color = true;
    let t = draw(&mut app, 80, 24);
    let colour = rows(t.backend().buffer()).join("\n");
    assert!(!colour.contains("{+"), "{colour}");
    let buf = t.backend().buffer();
    let styled = buf
        .content()
        .iter()
        .any(|c| c.fg == ratatui::style::Color::Green);
    assert!(styled, "insertions are green");
}

#[test]
fn legislation_law_2023_renumbered_article_history() {
    let Some(c) = corpus() else { return };
    let Some(dir) = std::fs::read_dir(c.join("multi"))
        .expect("multi")
        .flatten()
        .map(|e| e.path().join("中华人民共和国立法法"))
        .find(|p| p.is_dir())
    else {
        panic!("立法法 in the corpus")
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init(&tmp.path().join("store")).expect("init");
    store
        .import(&[dir], &ImportOptions::default(), &Quiet)
        .expect("import");
    let mut app = App::new(store.ids().expect("ids"), false);
    let mut loader = Loader::new(store);
    open(&mut loader, &mut app, "立法法");
    // Opens on the latest version, the 2023 amendment.
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    let Screen::Amendment(a) = app.screen().clone() else {
        panic!("amendment")
    };
    let cs = app.diffs.get(&a.key).expect("diff").clone();
    assert_eq!(cs.new.version_date.map(|d| d.year), Some(2023));
    let entries = App::entries(&cs, false);
    let k = entries
        .iter()
        .position(|e| e.renumbered && e.kind == statute::diff::EntryKind::Modified)
        .expect("a renumbered, modified article");
    let (old, new) = (
        entries[k].old[0].label.clone(),
        entries[k].new[0].label.clone(),
    );
    code(&mut app, KeyCode::Char('G'));
    code(&mut app, KeyCode::Char('g'));
    for _ in 0..k {
        press(&mut app, "j");
    }
    let detail = rows(draw(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(detail.contains("条序变化"), "{detail}");
    press(&mut app, "h");
    settle(&mut loader, &mut app);
    let t = draw(&mut app, 80, 24);
    let text = rows(t.backend().buffer()).join("\n");
    assert!(
        text.contains("2015-03-15") && text.contains("2023-03-13"),
        "{text}"
    );
    assert!(
        text.contains(&old) && text.contains(&new),
        "{old} {new}\n{text}"
    );
    press(&mut app, "q");
}

#[test]
fn the_worker_thread_answers_in_order() {
    use statute::tui::data::{PairKey, Request, Response, spawn};
    let (_d, loader, app) = setup();
    drop(loader);
    let store = Store::open(&_d.path().join("store")).expect("open");
    let (tx, rx) = spawn(store);
    let id = app
        .statutes
        .iter()
        .find(|s| s.contains("公园"))
        .expect("park")
        .clone();
    let key = PairKey {
        id: id.clone(),
        from: 0,
        to: 1,
    };
    tx.send(Request::History(id.clone())).expect("send");
    tx.send(Request::Diff(key.clone())).expect("send");
    tx.send(Request::Diff(PairKey {
        to: 9,
        ..key.clone()
    }))
    .expect("send");
    let timeout = std::time::Duration::from_secs(60);
    match rx.recv_timeout(timeout).expect("history") {
        Response::History(got, Ok(h)) => {
            assert_eq!(got, id);
            assert_eq!(h.versions.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    match rx.recv_timeout(timeout).expect("diff") {
        Response::Diff(got, Ok(cs)) => {
            assert_eq!(got, key);
            assert_eq!(cs.summary.split, 1);
        }
        other => panic!("{other:?}"),
    }
    // A version that is not there is an error answer, not a dead worker.
    match rx.recv_timeout(timeout).expect("error") {
        Response::Diff(_, Err(e)) => assert!(e.contains("no version"), "{e}"),
        other => panic!("{other:?}"),
    }
    drop(tx);
}

#[test]
fn browse_needs_a_terminal_and_a_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |store: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_statute"))
            .arg("--store")
            .arg(store)
            .arg("browse")
            .env_remove("STATUTE_STORE")
            .output()
            .expect("run statute")
    };
    let missing = run(&tmp.path().join("none"));
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("no statute store"), "{err}");
    let (_d, _loader, _app) = setup();
    let piped = run(&_d.path().join("store"));
    assert_eq!(piped.status.code(), Some(2));
    let err = String::from_utf8_lossy(&piped.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    // Nothing was written to the terminal-less output: no escape sequences.
    assert!(piped.stdout.is_empty());
}

/// SIGTERM (or SIGHUP, a closed window) to a running browser: it leaves the alternate screen,
/// shows the cursor and turns mouse capture off before it goes, and it goes killed by the
/// signal (exit 143 through `script`). Run in a pseudo-terminal made by util-linux `script`;
/// skipped without `script` or `pgrep`.
#[test]
fn a_terminating_signal_restores_the_terminal() {
    use std::process::{Command, Stdio};
    let have = |tool: &str| Command::new(tool).arg("--version").output().is_ok();
    if !have("script") || !have("pgrep") {
        eprintln!("skipping: needs util-linux `script` and `pgrep`");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let (s, _) = Store::init(&store).expect("init");
    s.import(
        &[root().join("versions")],
        &ImportOptions::default(),
        &Quiet,
    )
    .expect("import");
    let cmd = format!(
        // The pseudo-terminal has no size of its own here: give it one.
        "stty cols 80 rows 24; exec {} --store {} browse",
        env!("CARGO_BIN_EXE_statute"),
        store.display()
    );
    let mut script = Command::new("script")
        .args(["-q", "-f", "-e", "-c", &cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run script");
    // The browser is the child `script` started; give it time to draw its first frame.
    let mut browser = None;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let o = Command::new("pgrep")
            .args(["-P", &script.id().to_string()])
            .output()
            .expect("pgrep");
        if let Some(pid) = String::from_utf8_lossy(&o.stdout).split_whitespace().next() {
            browser = Some(pid.to_string());
            break;
        }
    }
    let browser = browser.expect("the browser started");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let killed = Command::new("kill")
        .args(["-TERM", &browser])
        .status()
        .expect("kill");
    assert!(killed.success());
    let stdin = script.stdin.take();
    let o = script.wait_with_output().expect("wait for script");
    drop(stdin);
    let out = String::from_utf8_lossy(&o.stdout);
    // (Wide characters are placed one by one: look for the header and one of them.)
    assert!(
        out.contains("statute browse") && out.contains('天'),
        "no frame was drawn: {out:?}"
    );
    let after = &out[out
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen")..];
    for (seq, what) in [
        ("\x1b[?1049l", "leave the alternate screen"),
        ("\x1b[?25h", "show the cursor"),
        ("\x1b[?1000l", "stop mouse capture"),
    ] {
        assert!(
            after.contains(seq),
            "did not {what}: {:?}",
            &after[after.len().saturating_sub(200)..]
        );
    }
    assert_eq!(o.status.code(), Some(128 + 15), "killed by SIGTERM");
}

/// What a terminal shows of a buffer row: the symbol at each column where one starts, a
/// wide character hiding the cell after it (as ratatui's diff and the terminal do).
fn visible(buf: &Buffer, y: u16) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    let mut x = 0u16;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol();
        out.push((x, sym.to_string()));
        x += sym.width().max(1) as u16;
    }
    out
}

/// The help popup keeps both borders on every row, whatever stands under its edges: on the
/// list, an amendment inline and side by side, and a version's text, at every width from
/// 20 to 130 (a wide character just left of the popup used to cover its left border).
#[test]
fn help_popup_keeps_both_borders_over_wide_characters() {
    let (_d, mut loader, mut app) = setup();
    let mut checked = 0;
    let mut check = |app: &mut App, what: &str| {
        for w in 20..=130 {
            let t = draw(app, w, 24);
            let buf = t.backend().buffer();
            // The popup's corners from the cells themselves: ┌帮助 … ┐ down to └ … ┘.
            let (x0, y0) = (0..buf.area.height)
                .flat_map(|y| (0..buf.area.width - 1).map(move |x| (x, y)))
                .find(|&(x, y)| buf[(x, y)].symbol() == "┌" && buf[(x + 1, y)].symbol() == "帮")
                .unwrap_or_else(|| panic!("{what} at {w}: no popup"));
            let x1 = (x0 + 1..buf.area.width)
                .find(|&x| buf[(x, y0)].symbol() == "┐")
                .expect("top right corner");
            let y1 = (y0 + 1..buf.area.height)
                .find(|&y| buf[(x0, y)].symbol() == "└")
                .expect("bottom left corner");
            for y in y0..=y1 {
                let row = visible(buf, y);
                let at = |x: u16| row.iter().find(|(c, _)| *c == x).map(|(_, s)| s.as_str());
                let text: String = row.iter().map(|(_, s)| s.as_str()).collect();
                assert!(
                    matches!(at(x0), Some("┌" | "│" | "└")),
                    "{what} at width {w}, row {y}: left border hidden: {text}"
                );
                assert!(
                    matches!(at(x1), Some("┐" | "│" | "┘")),
                    "{what} at width {w}, row {y}: right border hidden: {text}"
                );
            }
            checked += 1;
        }
    };
    press(&mut app, "?");
    check(&mut app, "list");
    press(&mut app, " ");
    open(&mut loader, &mut app, "天津");
    code(&mut app, KeyCode::Enter);
    settle(&mut loader, &mut app);
    for side in [false, true] {
        app.side_by_side = side;
        press(&mut app, "j?");
        check(&mut app, if side { "side by side" } else { "inline" });
        press(&mut app, " ");
    }
    code(&mut app, KeyCode::Esc);
    press(&mut app, "t");
    settle(&mut loader, &mut app);
    press(&mut app, "?");
    check(&mut app, "text");
    assert_eq!(checked, 4 * 111);
}

/// The help is Chinese like the rest of the browser: every key's and marker's description.
#[test]
fn help_is_in_chinese() {
    for (keys, what) in statute::tui::app::KEYS
        .iter()
        .chain(statute::tui::app::MARKERS)
    {
        assert!(
            !what.chars().any(|c| c.is_ascii_alphabetic()),
            "{keys}: {what}"
        );
        assert!(
            what.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{keys}: {what}"
        );
    }
}

/// A store for the citations screen, from texts written here: 甲法 of 2010 and 2020 (a new
/// 第五条 inserted, so that 第十条 becomes 第十一条), 乙规定 of 2015 citing 甲法第二条 and
/// 甲法第十条 (its 2010 numbering), and 丙办法 of 2021 citing 甲法第十一条 (the same article
/// by its 2020 number).
fn cites_store() -> (tempfile::TempDir, Store) {
    const ARTICLES: [&str; 11] = [
        "为了规范甲事项的管理，保护当事人的合法权益，制定本法。",
        "本法适用于本国境内从事的甲事项活动。",
        "国务院甲事项主管部门负责全国甲事项的监督管理工作。",
        "申请人办理甲事项，应当提交申请书和相关证明材料。",
        "登记机关应当自受理申请之日起二十日内作出是否准予登记的决定。",
        "登记机关应当公开办理甲事项的条件、程序、期限和所需材料目录。",
        "任何单位和个人有权对违反本法的行为向主管部门举报。",
        "违反本法规定，未经登记从事甲事项的，由主管部门责令改正，没收违法所得。",
        "主管部门工作人员滥用职权、玩忽职守的，依法给予处分。",
        "甲事项登记的收费标准，由国务院价格主管部门会同有关部门制定并公布。",
        "本法自2010年3月1日起施行。",
    ];
    let numerals = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    let law = |articles: &[&str]| {
        let mut s = String::from("# 甲法\n\n<!-- INFO END -->\n\n");
        for (n, a) in numerals.iter().zip(articles) {
            s.push_str(&format!("第{n}条 {a}\n\n"));
        }
        s
    };
    let mut amended: Vec<&str> = ARTICLES.to_vec();
    amended.insert(4, "登记机关应当推行网上办理，公布办事指南，提高办事效率。");
    let files = [
        ("甲法/2010-01-01.md", law(&ARTICLES)),
        ("甲法/2020-01-01.md", law(&amended)),
        (
            "乙规定/2015-06-01.md",
            "# 乙规定\n\n<!-- INFO END -->\n\n\
             第一条 为了实施甲事项登记制度，结合本地实际，制定本规定。\n\n\
             第二条 甲事项的适用范围，依照《甲法》第二条确定。\n\n\
             第三条 甲事项登记的收费，依照《甲法》第十条的规定执行。\n\n\
             第四条 本规定自2015年7月1日起施行。\n"
                .to_string(),
        ),
        (
            "丙办法/2021-03-01.md",
            "# 丙办法\n\n<!-- INFO END -->\n\n\
             第一条 根据《甲法》第十一条的规定，制定本办法。\n\n\
             第二条 本办法自2021年3月1日起施行。\n"
                .to_string(),
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    for (path, text) in &files {
        let p = input.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    let (store, _) = Store::init(&dir.path().join("store")).expect("init");
    let r = store
        .import(&[input], &ImportOptions::default(), &Quiet)
        .expect("import");
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    (dir, store)
}

/// On 甲法's amendment, the history of the entry whose new label is `label`.
fn cited_history(loader: &mut Loader, app: &mut App, label: &str) {
    open(loader, app, "甲法");
    code(app, KeyCode::Enter);
    settle(loader, app);
    let Screen::Amendment(a) = app.screen().clone() else {
        panic!("amendment")
    };
    let cs = app.diffs.get(&a.key).expect("diff").clone();
    let k = App::entries(&cs, true)
        .iter()
        .position(|e| e.new.first().is_some_and(|u| u.label == label))
        .unwrap_or_else(|| panic!("an entry for {label}"));
    press(app, "ag");
    for _ in 0..k {
        press(app, "j");
    }
    let Screen::Amendment(a) = app.screen().clone() else {
        panic!("amendment")
    };
    assert_eq!(
        app.selected_entry(&a).map(|e| e.new[0].label.as_str()),
        Some(label)
    );
    press(app, "h");
    settle(loader, app);
    assert!(matches!(app.screen(), Screen::History(_)));
}

/// `c` in an article's history: the statutes citing that article through any of its numbers,
/// each with its status against 甲法's latest version, the stale one marked; `q` goes back to
/// the history, and the answer is kept for the session.
#[test]
fn citations_of_a_renumbered_article_80x24() {
    let (_d, store) = cites_store();
    let mut app = App::new(store.ids().expect("ids"), false);
    let mut loader = Loader::new(store);
    cited_history(&mut loader, &mut app, "第十一条");
    press(&mut app, "c");
    assert!(matches!(app.screen(), Screen::Cites(_)));
    assert_eq!(app.outbox.len(), 1, "{:?}", app.outbox);
    // Before the loader answers: computing….
    let text = rows(draw(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(text.contains("computing…"), "{text}");
    settle(&mut loader, &mut app);
    let t = draw(&mut app, 80, 24);
    let text = rows(t.backend().buffer()).join("\n");
    // 乙规定 cites it as 第十条 (the 2010 numbering): stale, marked `!`.
    let stale = text
        .lines()
        .find(|l| l.contains("乙规定"))
        .unwrap_or_else(|| panic!("乙规定 missing:\n{text}"));
    assert!(stale.contains("│! 乙规定"), "{stale}");
    assert!(text.contains("《甲法》第十条"), "{text}");
    assert!(text.contains("renumbered → 第十一条"), "{text}");
    // 丙办法 cites it as 第十一条: current, unmarked.
    let current = text
        .lines()
        .find(|l| l.contains("丙办法"))
        .unwrap_or_else(|| panic!("丙办法 missing:\n{text}"));
    assert!(current.contains("│  丙办法"), "{current}");
    assert!(text.contains("current"), "{text}");
    // 乙规定's citation of another article is not this article's.
    assert!(!text.contains("第二条"), "{text}");
    insta::assert_snapshot!(t.backend());
    // Every row exactly the width, at every width.
    for w in (20..=130).step_by(7) {
        for h in [8, 24] {
            rows(draw(&mut app, w, h).backend().buffer());
        }
    }
    // With colour, the stale status is red.
    app.color = true;
    let t = draw(&mut app, 80, 24);
    assert!(
        t.backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg == ratatui::style::Color::Red),
        "the stale citation is red"
    );
    app.color = false;
    // q goes back to the history (not out of the browser); the answer is cached.
    assert_eq!(
        app.handle(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
        statute::tui::Action::Continue
    );
    assert!(matches!(app.screen(), Screen::History(_)));
    press(&mut app, "c");
    assert!(app.outbox.is_empty(), "asked again: {:?}", app.outbox);
    assert!(!app.waiting());
    code(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen(), Screen::History(_)));
}

/// An article no stored statute cites says so; a store without a citation index (an old
/// store) says that in the screen, without an error.
#[test]
fn citations_none_and_without_an_index() {
    let (d, store) = cites_store();
    let mut app = App::new(store.ids().expect("ids"), false);
    let mut loader = Loader::new(store);
    cited_history(&mut loader, &mut app, "第四条");
    press(&mut app, "c");
    settle(&mut loader, &mut app);
    let text = rows(draw(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(text.contains("库中没有法规引用本条"), "{text}");
    assert!(app.message.is_none(), "{:?}", app.message);
    drop(loader);
    // main without its index/ tree, as a store written before the index.
    let path = d.path().join("store");
    {
        let repo = git2::Repository::open_bare(&path).expect("open");
        let main = repo
            .find_reference("refs/heads/main")
            .expect("main")
            .peel_to_commit()
            .expect("commit");
        let mut tb = repo
            .treebuilder(Some(&main.tree().expect("tree")))
            .expect("tb");
        tb.remove("index").expect("an index to remove");
        let tree = repo.find_tree(tb.write().expect("write")).expect("tree");
        let sig = git2::Signature::now("t", "t@example.com").expect("sig");
        repo.commit(
            Some("refs/heads/main"),
            &sig,
            &sig,
            "no index",
            &tree,
            &[&main],
        )
        .expect("commit");
    }
    let store = Store::open(&path).expect("open");
    let mut app = App::new(store.ids().expect("ids"), false);
    let mut loader = Loader::new(store);
    cited_history(&mut loader, &mut app, "第十一条");
    press(&mut app, "c");
    settle(&mut loader, &mut app);
    let t = draw(&mut app, 80, 24);
    let text = rows(t.backend().buffer()).join("\n");
    assert!(text.contains("本库没有引用索引"), "{text}");
    assert!(app.message.is_none(), "{:?}", app.message);
    assert!(!app.waiting());
}
