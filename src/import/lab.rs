//! A lab as the workshop lays it out: a folder of pages (its index page
//! first, then by `sidebar_position` or `weight`), its sub-folders after
//! them (ordered by their index pages' weights), `tests/hook-*.sh` scripts
//! next to the pages, and `.notest` files that exclude a folder and all
//! below it.

use std::path::{Path, PathBuf};

use super::ImportError;
use super::markdown::{self, Page};

/// The names of index pages, as the workshop's harness knows them.
pub const INDEX_PAGES: &[&str] = &["_index.md", "index.en.md", "index.md"];

/// What `rehearse import` was given, read.
#[derive(Debug)]
pub struct Lab {
    /// The folders to import, in order (a page given alone is a folder
    /// with that one page).
    pub folders: Vec<Folder>,
    /// Folders left out because of a `.notest` file.
    pub excluded: Vec<PathBuf>,
    /// Where the harness reads the lab differently at the folder level
    /// (page order, pages it refuses).
    pub notes: Vec<String>,
}

/// A folder of pages.
#[derive(Debug)]
pub struct Folder {
    pub dir: PathBuf,
    /// The folder the user named (its suite hook's `after` runs last, in `finally`).
    pub top: bool,
    /// In the order the lab reads them.
    pub pages: Vec<Page>,
    /// `tests/hook-suite.sh`, which wraps the folder (only when the whole
    /// folder is imported).
    pub suite_hook: Option<PathBuf>,
}

impl Folder {
    /// `tests/hook-NAME.sh` of this folder.
    pub fn hook(&self, name: &str) -> PathBuf {
        hook_path(&self.dir, name)
    }
}

pub fn hook_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("tests").join(format!("hook-{name}.sh"))
}

pub fn is_index(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| INDEX_PAGES.contains(&n))
}

/// Reads the pages and folders named by `paths`, in order. Every page is
/// read, so that the error gives every page that cannot be.
pub fn gather(paths: &[PathBuf]) -> Result<Lab, ImportError> {
    let mut lab = Lab {
        folders: Vec::new(),
        excluded: Vec::new(),
        notes: Vec::new(),
    };
    let mut errors = Vec::new();
    if paths.is_empty() {
        errors.push(ImportError::about(
            Path::new("."),
            "nothing to import",
            "give markdown pages or lab folders",
        ));
    }
    for path in paths {
        let Ok(meta) = std::fs::metadata(path) else {
            errors.push(ImportError::about(
                path,
                format!("{} does not exist", path.display()),
                "give a markdown page (PAGE.md) or a lab's folder (e.g. website/docs/security/amazon-eks-pod-identity)",
            ));
            continue;
        };
        if meta.is_dir() {
            if path.join(".notest").exists() {
                errors.push(ImportError::about(
                    path,
                    format!(
                        "{} has a .notest file: the workshop excludes it from its tests, and so does the importer",
                        path.display()
                    ),
                    "import its pages one by one (PAGE.md) to import them anyway",
                ));
                continue;
            }
            let before = errors.len();
            let mut folders = walk(path, true, &mut lab, &mut errors);
            if folders.is_empty() && errors.len() == before {
                errors.push(no_pages(path, &lab));
            }
            lab.folders.append(&mut folders);
        } else {
            match markdown::read(path) {
                Ok(page) => {
                    refuse_without_front_matter(&page, &mut lab);
                    lab.folders.push(Folder {
                        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                        top: true,
                        pages: vec![page],
                        suite_hook: None,
                    });
                }
                Err(e) => errors.push(e),
            }
        }
    }
    match ImportError::merge(errors) {
        Some(e) => Err(e),
        None => Ok(lab),
    }
}

/// A folder without pages, or whose pages are all below a `.notest`.
fn no_pages(dir: &Path, lab: &Lab) -> ImportError {
    let excluded: Vec<String> = lab
        .excluded
        .iter()
        .filter(|e| e.starts_with(dir))
        .map(|e| e.display().to_string())
        .collect();
    if excluded.is_empty() {
        ImportError::about(
            dir,
            format!(
                "{} has no markdown pages (*.md), in it or below it",
                dir.display()
            ),
            "give a lab's folder, the one whose index.md starts the lab, or its pages",
        )
    } else {
        ImportError::about(
            dir,
            format!(
                "{} has no markdown pages outside the folders a .notest file excludes ({})",
                dir.display(),
                excluded.join(", ")
            ),
            "import those pages one by one (PAGE.md) to import them anyway",
        )
    }
}

fn refuse_without_front_matter(page: &Page, lab: &mut Lab) {
    if !page.front.found {
        lab.notes.push(format!(
            "{} has no front matter: the workshop's harness stops with an error on it",
            page.path.display()
        ));
    }
}

/// The folder and those below it, in the order the lab reads them; none
/// when it has a `.notest` file.
fn walk(dir: &Path, top: bool, lab: &mut Lab, errors: &mut Vec<ImportError>) -> Vec<Folder> {
    if dir.join(".notest").exists() {
        lab.excluded.push(dir.to_path_buf());
        return Vec::new();
    }
    let entries = std::fs::read_dir(dir).and_then(|d| d.map(|e| e.map(|e| e.path())).collect());
    let mut entries: Vec<PathBuf> = match entries {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ImportError::about(
                dir,
                format!("cannot read the folder {}: {e}", dir.display()),
                "check its permissions",
            ));
            return Vec::new();
        }
    };
    entries.sort();
    let mut pages = Vec::new();
    let mut children: Vec<(i64, Vec<Folder>)> = Vec::new();
    for path in entries {
        if path.is_dir() {
            let below = walk(&path, false, lab, errors);
            let weight = below
                .first()
                .filter(|f| f.dir == path)
                .and_then(|f| f.pages.first())
                .filter(|p| is_index(&p.path))
                .and_then(|p| p.front.weight)
                .unwrap_or(0);
            if !below.is_empty() {
                children.push((weight, below));
            }
        } else if path.extension().is_some_and(|e| e == "md") {
            match markdown::read(&path) {
                Ok(page) => {
                    refuse_without_front_matter(&page, lab);
                    pages.push(page);
                }
                Err(e) => errors.push(e),
            }
        }
    }
    let harness = harness_order(&pages);
    pages.sort_by_key(|p| (!is_index(&p.path), p.front.weight.unwrap_or(0)));
    let ours: Vec<&PathBuf> = pages
        .iter()
        .map(|p| &p.path)
        .filter(|p| harness.contains(p))
        .collect();
    if !ours.iter().copied().eq(harness.iter()) {
        lab.notes.push(format!(
            "{}: the workshop's harness runs the pages in another order: {}",
            dir.display(),
            harness
                .iter()
                .map(|p| p.file_name().unwrap_or_default().to_string_lossy())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Stable: folders of equal weight stay in name order, as in the harness.
    children.sort_by_key(|(w, _)| *w);
    let suite = hook_path(dir, "suite");
    let mut out = vec![Folder {
        dir: dir.to_path_buf(),
        top,
        pages,
        suite_hook: suite.is_file().then_some(suite),
    }];
    out.extend(children.into_iter().flat_map(|(_, f)| f));
    if out.len() == 1 && out[0].pages.is_empty() {
        return Vec::new();
    }
    out
}

/// The pages the harness runs, in its order (`pages` in name order): by
/// weight, the index page's taken as 1, ties in name order; it leaves out
/// the pages without commands other than the index.
fn harness_order(pages: &[Page]) -> Vec<PathBuf> {
    let mut order: Vec<(i64, PathBuf)> = pages
        .iter()
        .filter(|p| is_index(&p.path) || p.commands().next().is_some())
        .map(|p| {
            let w = if is_index(&p.path) {
                1
            } else {
                p.front.weight.unwrap_or(0)
            };
            (w, p.path.clone())
        })
        .collect();
    order.sort_by_key(|(w, _)| *w);
    order.into_iter().map(|(_, p)| p).collect()
}
