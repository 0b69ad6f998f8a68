//! How a mutated version is written out before it is parsed again: the crate's canonical
//! Markdown, or the corpus and seed formats written here; and the check that a rendering
//! parses back to the same units.

use statute::Statute;
use statute::model::{Item, Node};
use statute::parse::canonical;

/// The history line given to rendered mutated versions.
const HISTORY: &str = "2024年6月28日测试会议修正";

/// How a mutated version is written out before it is parsed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Canonical,
    Corpus,
    Seed,
}

impl Format {
    /// The format of pair `index`: canonical for even pairs, corpus and seed in turn for odd.
    pub fn of_pair(index: usize) -> Format {
        match index % 4 {
            1 => Format::Corpus,
            3 => Format::Seed,
            _ => Format::Canonical,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Canonical => "canonical",
            Format::Corpus => "corpus",
            Format::Seed => "seed",
        }
    }
}

/// `s` written in `format`.
pub fn render(format: Format, s: &Statute) -> String {
    match format {
        Format::Canonical => canonical::to_string(s),
        Format::Corpus => render_corpus(s),
        Format::Seed => render_seed(s),
    }
}

fn block(out: &mut String, line: &str) {
    out.push_str(line);
    out.push_str("\n\n");
}

fn render_corpus(s: &Statute) -> String {
    let mut out = String::new();
    block(&mut out, &format!("# {}", s.meta.title));
    block(&mut out, HISTORY);
    block(&mut out, "<!-- INFO END -->");
    corpus_nodes(&s.body.nodes, 0, &mut out);
    for c in &s.body.closing {
        block(&mut out, c);
    }
    out
}

fn corpus_items(items: &[Item], out: &mut String) {
    for it in items {
        block(out, &format!("{}{}", it.marker, it.text));
        corpus_items(&it.subitems, out);
    }
}

fn corpus_nodes(nodes: &[Node], depth: usize, out: &mut String) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                let hashes = "#".repeat((depth + 2).min(6));
                block(out, &format!("{hashes} {}", d.heading()));
                corpus_nodes(&d.children, depth + 1, out);
            }
            Node::Article(a) => {
                for (i, p) in a.paras.iter().enumerate() {
                    match (i, p.text.is_empty()) {
                        (0, true) => block(out, &a.label),
                        (0, false) => block(out, &format!("{} {}", a.label, p.text)),
                        _ => block(out, &p.text),
                    }
                    corpus_items(&p.items, out);
                }
                if a.paras.is_empty() {
                    block(out, &a.label);
                }
            }
            Node::Para(p) => {
                block(out, &p.text);
                corpus_items(&p.items, out);
            }
        }
    }
}

fn render_seed(s: &Statute) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str(&format!("title: {}\n", yaml_quote(&s.meta.title)));
    out.push_str("date: '2024-06-28'\nstatus: 有效\n---\n\n");
    block(&mut out, &format!("**{}**", s.meta.title));
    block(&mut out, &format!("> （{HISTORY}）"));
    seed_nodes(&s.body.nodes, 0, &mut out);
    for c in &s.body.closing {
        block(&mut out, c);
    }
    out
}

/// A YAML double-quoted scalar.
fn yaml_quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn seed_items(items: &[Item], out: &mut String) {
    for it in items {
        block(out, &format!("  {}{}", it.marker, it.text));
        seed_items(&it.subitems, out);
    }
}

fn seed_nodes(nodes: &[Node], depth: usize, out: &mut String) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                let hashes = "#".repeat((depth + 2).min(6));
                let heading = if d.label.is_empty() || d.title.is_empty() {
                    d.heading()
                } else {
                    format!("{}\u{3000}\u{3000}{}", d.label, d.title)
                };
                block(out, &format!("{hashes} {heading}"));
                seed_nodes(&d.children, depth + 1, out);
            }
            Node::Article(a) => {
                for (i, p) in a.paras.iter().enumerate() {
                    match (i, p.text.is_empty()) {
                        (0, true) => block(out, &format!("- **{}**", a.label)),
                        (0, false) => {
                            block(out, &format!("- **{}**\u{3000}\u{3000}{}", a.label, p.text))
                        }
                        _ => block(out, &format!("  {}", p.text)),
                    }
                    seed_items(&p.items, out);
                }
                if a.paras.is_empty() {
                    block(out, &format!("- **{}**", a.label));
                }
            }
            Node::Para(p) => {
                block(out, &p.text);
                seed_items(&p.items, out);
            }
        }
    }
}

/// Same units with the same labels, texts and heading paths, or the first difference.
pub fn same_units(a: &Statute, b: &Statute) -> Result<(), String> {
    let (x, y) = (a.articles(), b.articles());
    for (k, (p, q)) in x.iter().zip(&y).enumerate() {
        let (p_path, q_path): (Vec<String>, Vec<String>) = (
            p.path.iter().map(|d| d.heading()).collect(),
            q.path.iter().map(|d| d.heading()).collect(),
        );
        if p.article.label != q.article.label
            || p.article.text() != q.article.text()
            || p_path != q_path
        {
            return Err(format!(
                "unit {k}: {} {:?} {:?} became {} {:?} {:?}",
                p.article.label,
                p_path,
                p.article.text(),
                q.article.label,
                q_path,
                q.article.text()
            ));
        }
    }
    if x.len() != y.len() {
        return Err(format!("{} units rendered, {} parsed", x.len(), y.len()));
    }
    if a.body.closing != b.body.closing {
        return Err(format!(
            "closing {:?} became {:?}",
            a.body.closing, b.body.closing
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use statute::parse::parse_str;

    use super::*;

    const SAMPLE: &str = "# 某某管理条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n\
        第一条 为了加强管理，制定本条例。\n\n\
        第二条 有关部门应当依法登记。\n\n有下列情形之一的，不予批准：\n\n（一）申请材料不全的；\n\n（二）逾期申请的。\n\n\
        ## 第二章 附则\n\n第三条 本条例自公布之日起施行。\n";

    #[test]
    fn every_format_parses_back_to_the_same_units() {
        let s = parse_str(Path::new("sample.md"), SAMPLE)
            .map(|p| p.statute)
            .expect("the sample parses");
        assert_eq!(s.articles().len(), 3);
        for format in [Format::Canonical, Format::Corpus, Format::Seed] {
            let text = render(format, &s);
            let back = parse_str(Path::new("rendered.md"), &text)
                .unwrap_or_else(|e| panic!("{}: {e}", format.as_str()));
            assert_eq!(same_units(&s, &back.statute), Ok(()), "{}", format.as_str());
            assert_eq!(back.statute.meta.title, s.meta.title);
        }
    }

    #[test]
    fn same_units_names_the_first_difference() {
        let s = parse_str(Path::new("a.md"), SAMPLE)
            .expect("the sample parses")
            .statute;
        let t = parse_str(Path::new("b.md"), &SAMPLE.replace("依法登记", "依法批准"))
            .expect("the edited sample parses")
            .statute;
        let e = same_units(&s, &t).expect_err("the texts differ");
        assert!(e.starts_with("unit 1: 第二条"), "{e}");
    }

    #[test]
    fn formats_cycle_over_pairs_and_titles_are_quoted() {
        let formats: Vec<&str> = (0..8).map(|i| Format::of_pair(i).as_str()).collect();
        assert_eq!(
            formats,
            ["canonical", "corpus", "canonical", "seed"].repeat(2)
        );
        assert_eq!(yaml_quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
