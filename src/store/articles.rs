//! Article-level reading of a stored statute: one article through every version (`history`)
//! and, for each article of a version, the version that last changed it (`blame`). Both
//! parse the stored versions and follow units with [`crate::lineage`].

use super::error::{Result, StoreError};
use super::read::{StatuteHistory, find_version};
use super::{Store, StoredVersion};
use crate::lineage::{self, Lineage, Origin, Unit};
use crate::model::{Statute, UnitNum};

/// The units of one version that belong to the followed article.
#[derive(Debug, Clone)]
pub struct ArticleVersion {
    pub version: StoredVersion,
    /// Units with their text; empty when the article did not exist in this version, several
    /// when it was split.
    pub units: Vec<(Unit, String)>,
}

/// One article through every version.
#[derive(Debug, Clone)]
pub struct ArticleHistory {
    pub statute: String,
    pub title: String,
    /// The lineage id of the article that was asked for.
    pub lineage_id: String,
    pub versions: Vec<ArticleVersion>,
}

/// One article of a version and the version that last changed it substantively.
#[derive(Debug, Clone)]
pub struct BlameLine {
    pub unit: Unit,
    /// The label of the version that last changed (or introduced) the unit.
    pub changed_in: String,
    /// How it came to be in that version.
    pub change: Origin,
    pub text: String,
}

/// `blame` of one version.
#[derive(Debug, Clone)]
pub struct Blame {
    pub statute: String,
    pub title: String,
    pub version: String,
    pub lines: Vec<BlameLine>,
}

/// The labels a user's article name may stand for: 第八十条, 80, 80之1, 80-1, 一 …
pub fn article_labels(spec: &str) -> Vec<String> {
    let spec = spec.trim();
    let mut out = vec![spec.to_string()];
    let num = |s: &str| s.parse::<u32>().ok();
    let parts: Vec<&str> = spec.split(['-', '之', '.']).collect();
    let parsed = match parts.as_slice() {
        [m] => num(m).map(|main| UnitNum::Article { main, sub: 0 }),
        [m, s] => num(m)
            .zip(num(s))
            .map(|(main, sub)| UnitNum::Article { main, sub }),
        _ => None,
    };
    if let Some(n) = parsed {
        out.push(n.label());
    }
    if let Some((_, Some((main, sub)))) = crate::numerals::article_label(spec) {
        out.push(UnitNum::Article { main, sub }.label());
    }
    if !spec.starts_with('第') && !spec.chars().all(|c| c.is_ascii_digit()) {
        out.push(format!("第{spec}条"));
    }
    out
}

/// The versions an article a user named is looked up in, by index: the one `spec` names, else
/// every version from the latest back.
pub fn lookup_order(h: &StatuteHistory, spec: Option<&str>) -> Result<Vec<usize>> {
    Ok(match spec {
        Some(spec) => {
            let v = find_version(h, spec)?;
            h.versions
                .iter()
                .position(|x| x.commit == v.commit)
                .into_iter()
                .collect()
        }
        None => (0..h.versions.len()).rev().collect(),
    })
}

fn unit_text(s: &Statute, index: usize) -> String {
    s.articles()
        .get(index)
        .map(|a| a.article.text())
        .unwrap_or_default()
}

impl Store {
    /// Every version parsed, and the lineage of their units.
    pub fn lineage(&self, h: &StatuteHistory) -> Result<(Vec<Statute>, Lineage)> {
        let statutes: Vec<Statute> = h
            .versions
            .iter()
            .map(|v| self.statute(v))
            .collect::<Result<_>>()?;
        let pairs: Vec<(&str, &Statute)> = h
            .versions
            .iter()
            .zip(&statutes)
            .map(|(v, s)| (v.label.as_str(), s))
            .collect();
        let l = lineage::lineage(&h.id, &pairs);
        Ok((statutes, l))
    }

    /// One article through every version. `at` names the version in which `article` is
    /// looked up; without it, the latest version that has such an article.
    pub fn article_history(
        &self,
        h: &StatuteHistory,
        at: Option<&str>,
        article: &str,
    ) -> Result<ArticleHistory> {
        let (statutes, l) = self.lineage(h)?;
        let labels = article_labels(article);
        let order = lookup_order(h, at)?;
        let found = order
            .iter()
            .find_map(|&k| labels.iter().find_map(|lb| l.find(k, lb)))
            .ok_or_else(|| StoreError::NoSuchArticle {
                statute: h.id.clone(),
                article: article.into(),
            })?;
        let related = l.related(&found.id);
        let versions = h
            .versions
            .iter()
            .zip(&l.versions)
            .zip(&statutes)
            .map(|((v, units), s)| ArticleVersion {
                version: v.clone(),
                units: units
                    .units
                    .iter()
                    .filter(|u| related.contains(&u.id))
                    .map(|u| (u.clone(), unit_text(s, u.index)))
                    .collect(),
            })
            .collect();
        Ok(ArticleHistory {
            statute: h.id.clone(),
            title: h.head().map(|v| v.meta.title.clone()).unwrap_or_default(),
            lineage_id: found.id.clone(),
            versions,
        })
    }

    /// For each article of a version (the latest without `at`), the version that last changed
    /// it substantively.
    pub fn blame(&self, h: &StatuteHistory, at: Option<&str>) -> Result<Blame> {
        let k = match at {
            Some(spec) => {
                let v = find_version(h, spec)?;
                h.versions
                    .iter()
                    .position(|x| x.commit == v.commit)
                    .unwrap_or(0)
            }
            None => h.versions.len().saturating_sub(1),
        };
        // Later versions do not matter to this one.
        let upto = StatuteHistory {
            id: h.id.clone(),
            versions: h.versions[..(k + 1).min(h.versions.len())].to_vec(),
        };
        let (statutes, l) = self.lineage(&upto)?;
        let mut lines = Vec::new();
        if let (Some(units), Some(s)) = (l.versions.get(k), statutes.get(k)) {
            for u in &units.units {
                let changed = &l.versions[u.last_changed.min(k)];
                let change = changed
                    .units
                    .iter()
                    .find(|x| x.id == u.id)
                    .map_or(u.origin, |x| x.origin);
                lines.push(BlameLine {
                    unit: u.clone(),
                    changed_in: changed.version.clone(),
                    change,
                    text: unit_text(s, u.index),
                });
            }
        }
        Ok(Blame {
            statute: h.id.clone(),
            title: h.head().map(|v| v.meta.title.clone()).unwrap_or_default(),
            version: h
                .versions
                .get(k)
                .map(|v| v.label.clone())
                .unwrap_or_default(),
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_names() {
        assert!(article_labels("80").contains(&"第八十条".to_string()));
        assert!(article_labels("第八十条").contains(&"第八十条".to_string()));
        assert!(article_labels("10之1").contains(&"第十条之一".to_string()));
        assert!(article_labels("八十").contains(&"第八十条".to_string()));
    }
}
