//! Store access for the browser: a [`Loader`] that reads histories, parses versions, computes
//! change sets, article trails and an article's incoming citations, caching each, served on a
//! worker thread of its own (with its own repository handle: `Repository` is `Send`, not
//! `Sync`) through a pair of channels.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::diff::{self, ChangeSet, Segment};
use crate::lineage::{self, Lineage};
use crate::model::Statute;
use crate::store::articles::{ArticleHistory, ArticleVersion};
use crate::store::cites::Resolved;
use crate::store::read::StatuteHistory;
use crate::store::{Store, StoreError};

/// A pair of versions of one statute, by their indices in its history (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PairKey {
    pub id: String,
    pub from: usize,
    pub to: usize,
}

/// One unit of one version: the statute, the version's index, the unit's index in
/// [`Statute::articles`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitKey {
    pub id: String,
    pub version: usize,
    pub unit: usize,
}

/// One article of one statute, by its lineage id (every number it had).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitesKey {
    pub id: String,
    pub lineage: String,
}

/// What the browser asks the loader for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request {
    /// Every statute id, ordered (the list; read after the first frame, as at national
    /// scale it takes most of a second).
    Ids,
    /// A statute's versions (from commit trailers: no diff).
    History(String),
    /// The change set of two versions.
    Diff(PairKey),
    /// One unit followed through every version by lineage id.
    Article(UnitKey),
    /// A version's text, paragraph by paragraph, for reading and searching.
    Text { id: String, version: usize },
    /// The citations of one article by other stored statutes.
    Cites(CitesKey),
}

/// One article followed through the versions, with the character diff of each version's text
/// against the previous version that had the article (`None` where it did not change or did
/// not exist).
#[derive(Debug, Clone)]
pub struct Trail {
    pub history: ArticleHistory,
    pub steps: Vec<Option<Vec<Segment>>>,
}

/// A paragraph of a version's text: a heading, or a unit with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBlock {
    pub heading: bool,
    pub label: String,
    pub text: String,
}

/// One citation of an article by another statute, with the citing statute's latest title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub title: String,
    pub resolved: Resolved,
}

/// An article's incoming citations, each compared with the cited statute's latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Citations {
    /// The store has no citation index (written before it; `statute reindex` builds it), or
    /// one that does not cover this statute.
    NoIndex,
    Found(Vec<Citation>),
}

/// The loader's answers; errors are carried as their messages.
#[derive(Debug, Clone)]
pub enum Response {
    Ids(Result<Arc<Vec<String>>, String>),
    History(String, Result<Arc<StatuteHistory>, String>),
    Diff(PairKey, Result<Arc<ChangeSet>, String>),
    Article(UnitKey, Result<Arc<Trail>, String>),
    Text((String, usize), Result<Arc<Vec<TextBlock>>, String>),
    Cites(CitesKey, Result<Arc<Citations>, String>),
}

impl Response {
    /// The error answer to `req`.
    pub fn failed(req: Request, message: String) -> Response {
        match req {
            Request::Ids => Response::Ids(Err(message)),
            Request::History(id) => Response::History(id, Err(message)),
            Request::Diff(key) => Response::Diff(key, Err(message)),
            Request::Article(key) => Response::Article(key, Err(message)),
            Request::Text { id, version } => Response::Text((id, version), Err(message)),
            Request::Cites(key) => Response::Cites(key, Err(message)),
        }
    }
}

/// Reads the store and caches what it computed: parsed versions, change sets per version pair,
/// lineages per statute, citations per article.
pub struct Loader {
    store: Store,
    histories: HashMap<String, Arc<StatuteHistory>>,
    statutes: HashMap<(String, usize), Arc<Statute>>,
    diffs: HashMap<PairKey, Arc<ChangeSet>>,
    lineages: HashMap<String, Arc<Lineage>>,
    cites: HashMap<CitesKey, Arc<Citations>>,
}

impl Loader {
    pub fn new(store: Store) -> Loader {
        Loader {
            store,
            histories: HashMap::new(),
            statutes: HashMap::new(),
            diffs: HashMap::new(),
            lineages: HashMap::new(),
            cites: HashMap::new(),
        }
    }

    /// Answers one request.
    pub fn serve(&mut self, req: Request) -> Response {
        match req {
            Request::Ids => {
                Response::Ids(self.store.ids().map(Arc::new).map_err(|e| e.to_string()))
            }
            Request::History(id) => {
                let r = self.history(&id).map_err(|e| e.to_string());
                Response::History(id, r)
            }
            Request::Diff(key) => {
                let r = self.diff(&key).map_err(|e| e.to_string());
                Response::Diff(key, r)
            }
            Request::Article(key) => {
                let r = self.trail(&key).map(Arc::new).map_err(|e| e.to_string());
                Response::Article(key, r)
            }
            Request::Text { id, version } => {
                let r = self
                    .text(&id, version)
                    .map(Arc::new)
                    .map_err(|e| e.to_string());
                Response::Text((id, version), r)
            }
            Request::Cites(key) => {
                let r = self.citations(&key).map_err(|e| e.to_string());
                Response::Cites(key, r)
            }
        }
    }

    fn history(&mut self, id: &str) -> Result<Arc<StatuteHistory>, StoreError> {
        if let Some(h) = self.histories.get(id) {
            return Ok(h.clone());
        }
        let h = Arc::new(self.store.history(id)?);
        self.histories.insert(id.to_string(), h.clone());
        Ok(h)
    }

    fn statute(&mut self, id: &str, k: usize) -> Result<Arc<Statute>, StoreError> {
        let key = (id.to_string(), k);
        if let Some(s) = self.statutes.get(&key) {
            return Ok(s.clone());
        }
        let h = self.history(id)?;
        let v = h.versions.get(k).ok_or_else(|| StoreError::NoSuchVersion {
            statute: id.into(),
            version: format!("#{k}"),
            available: h.versions.iter().map(|v| v.label.clone()).collect(),
        })?;
        let s = Arc::new(self.store.statute(v)?);
        self.statutes.insert(key, s.clone());
        Ok(s)
    }

    fn diff(&mut self, key: &PairKey) -> Result<Arc<ChangeSet>, StoreError> {
        if let Some(cs) = self.diffs.get(key) {
            return Ok(cs.clone());
        }
        let old = self.statute(&key.id, key.from)?;
        let new = self.statute(&key.id, key.to)?;
        // The UI thread keeps one core; the differ may use the others.
        let threads = crate::par::threads(0).min(4);
        let cs = Arc::new(diff::diff_threads(&old, &new, threads));
        self.diffs.insert(key.clone(), cs.clone());
        Ok(cs)
    }

    fn lineage(&mut self, id: &str) -> Result<Arc<Lineage>, StoreError> {
        if let Some(l) = self.lineages.get(id) {
            return Ok(l.clone());
        }
        let h = self.history(id)?;
        let n = h.versions.len();
        let statutes: Vec<Arc<Statute>> = (0..n)
            .map(|k| self.statute(id, k))
            .collect::<Result<_, _>>()?;
        let changes: Vec<ChangeSet> = (1..n)
            .map(|k| {
                self.diff(&PairKey {
                    id: id.to_string(),
                    from: k - 1,
                    to: k,
                })
                .map(|cs| (*cs).clone())
            })
            .collect::<Result<_, _>>()?;
        let pairs: Vec<(&str, &Statute)> = h
            .versions
            .iter()
            .zip(&statutes)
            .map(|(v, s)| (v.label.as_str(), &**s))
            .collect();
        let l = Arc::new(lineage::lineage_from(id, &pairs, &changes));
        self.lineages.insert(id.to_string(), l.clone());
        Ok(l)
    }

    fn trail(&mut self, key: &UnitKey) -> Result<Trail, StoreError> {
        let h = self.history(&key.id)?;
        let l = self.lineage(&key.id)?;
        let found = l
            .versions
            .get(key.version)
            .and_then(|v| v.units.iter().find(|u| u.index == key.unit))
            .ok_or_else(|| StoreError::NoSuchArticle {
                statute: key.id.clone(),
                article: format!("#{}", key.unit),
            })?;
        let related = l.related(&found.id);
        let mut versions = Vec::new();
        for (k, (v, units)) in h.versions.iter().zip(&l.versions).enumerate() {
            let s = self.statute(&key.id, k)?;
            let articles = s.articles();
            versions.push(ArticleVersion {
                version: v.clone(),
                units: units
                    .units
                    .iter()
                    .filter(|u| related.contains(&u.id))
                    .map(|u| {
                        let text = articles
                            .get(u.index)
                            .map(|a| a.article.text())
                            .unwrap_or_default();
                        (u.clone(), text)
                    })
                    .collect(),
            });
        }
        let joined = |v: &ArticleVersion| {
            v.units
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut steps = Vec::with_capacity(versions.len());
        let mut before: Option<String> = None;
        for v in &versions {
            if v.units.is_empty() {
                steps.push(None);
                continue;
            }
            let now = joined(v);
            steps.push(match &before {
                Some(b) if *b != now => Some(diff::chars::diff(b, &now)),
                _ => None,
            });
            before = Some(now);
        }
        Ok(Trail {
            history: ArticleHistory {
                statute: key.id.clone(),
                title: h.head().map(|v| v.meta.title.clone()).unwrap_or_default(),
                lineage_id: found.id.clone(),
                versions,
            },
            steps,
        })
    }

    /// The citations of an article by other statutes, from the store's citation index, each
    /// compared with the cited statute's latest version. A store without an index (or with
    /// one that does not cover the statute) answers [`Citations::NoIndex`], not an error.
    fn citations(&mut self, key: &CitesKey) -> Result<Arc<Citations>, StoreError> {
        if let Some(c) = self.cites.get(key) {
            return Ok(c.clone());
        }
        let c = match self.store.cite_index() {
            Err(StoreError::NoIndex) => Citations::NoIndex,
            Err(e) => return Err(e),
            Ok(mut index) => match index.cites(&key.id, Some(&key.lineage), None) {
                Err(StoreError::NoIndex) => Citations::NoIndex,
                Err(e) => return Err(e),
                Ok(found) => Citations::Found(
                    found
                        .into_iter()
                        .map(|r| Citation {
                            title: index.title(&r.citing).to_string(),
                            resolved: r,
                        })
                        .collect(),
                ),
            },
        };
        let c = Arc::new(c);
        self.cites.insert(key.clone(), c.clone());
        Ok(c)
    }

    fn text(&mut self, id: &str, k: usize) -> Result<Vec<TextBlock>, StoreError> {
        let s = self.statute(id, k)?;
        let labels = lineage::unit_labels(&s);
        let mut out = Vec::new();
        let mut path: Vec<String> = Vec::new();
        for (a, label) in s.articles().iter().zip(labels) {
            let here: Vec<String> = a.path.iter().map(|d| d.heading()).collect();
            let common = path.iter().zip(&here).take_while(|(x, y)| x == y).count();
            for h in &here[common..] {
                out.push(TextBlock {
                    heading: true,
                    label: String::new(),
                    text: h.clone(),
                });
            }
            path = here;
            out.push(TextBlock {
                heading: false,
                label,
                text: a.article.text(),
            });
        }
        Ok(out)
    }
}

/// The loader on a worker thread: requests in, responses out. The thread ends when the
/// request sender is dropped.
pub fn spawn(store: Store) -> (Sender<Request>, Receiver<Response>) {
    let (req_tx, req_rx) = mpsc::channel::<Request>();
    let (resp_tx, resp_rx) = mpsc::channel::<Response>();
    std::thread::spawn(move || {
        let mut loader = Loader::new(store);
        while let Ok(req) = req_rx.recv() {
            // A panic in the differ or the parser becomes an error answer: the browser says
            // so and goes on (the caches only ever hold complete values).
            let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                loader.serve(req.clone())
            }))
            .unwrap_or_else(|payload| {
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Response::failed(req, format!("internal error (panic): {what}"))
            });
            if resp_tx.send(resp).is_err() {
                break;
            }
        }
    });
    (req_tx, resp_rx)
}
