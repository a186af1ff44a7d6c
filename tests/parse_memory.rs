//! Reading a workflow in parts bounds what the TOML parse holds on top of
//! the workflow it gives: one part's tokens and tree, not the file's. And
//! validation, which checks each step as it is read and keeps none, holds
//! at most 5× the file, whatever the size of its steps.
//!
//! The heap is counted by this test binary's allocator, so the figures are
//! exact and the same on every machine; its tests take turns (`ALONE`), so
//! no other test allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rehearse::diagnostic::SourceFile;
use rehearse::format::parse::{parse_partial, parse_whole};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held by each test while it counts.
static ALONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The workflow `benches/run.sh` measures: a kubectl line and two checks
/// per step, just under the 1 MiB limit.
fn big_workflow(steps: usize) -> String {
    let mut s = String::from("[workflow]\nname = \"big\"\n\n[vars]\nNAME = \"carts\"\n\n");
    for i in 0..steps {
        s.push_str(&format!(
            "[[steps]]\nid = \"step-{i}\"\ntitle = \"Step number {i} checks the deployment\"\n\
             kubectl = \"-n carts get deployment ${{NAME}} -o json\"\n\
             expect = [{{ query = \"spec.replicas\", equals = 1 }}, {{ jq = \".status.readyReplicas\", greater = 0 }}]\n\n"
        ));
    }
    s
}

/// Steps as small as a step can be: what the parser keeps for each step,
/// whatever its size, weighs most here.
fn tiny_workflow(steps: usize) -> String {
    let mut s = String::from("[workflow]\nname = \"tiny\"\n\n");
    for i in 0..steps {
        s.push_str(&format!("[[steps]]\nid = \"s-{i}\"\nrun = \"true\"\n\n"));
    }
    s
}

/// The most the heap held while `run` ran, above what it held before.
fn peak<T>(run: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let out = run();
    (PEAK.load(Ordering::SeqCst) - before, out)
}

/// The most the heap held while `read` ran, above what it held before and
/// above what `read` returned: what the reading needed and let go.
fn overhead<T>(read: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let out = read();
    let peak = PEAK.load(Ordering::SeqCst) - before;
    let kept = LIVE.load(Ordering::SeqCst).saturating_sub(before);
    (peak.saturating_sub(kept), out)
}

#[test]
fn reading_in_parts_holds_a_part_not_the_file() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let file = SourceFile {
        path: PathBuf::from("big.toml"),
        text: Arc::from(big_workflow(4500)),
    };
    let size = file.text.len();
    let (parts, read) = overhead(|| parse_partial(&file));
    assert!(read.0.is_some_and(|w| w.steps.len() == 4500), "{:?}", read.1);
    let (whole, read) = overhead(|| parse_whole(&file));
    assert!(read.0.is_some());
    eprintln!(
        "{size} bytes: on top of the workflow, read in parts {parts} bytes, parsed at once {whole} bytes"
    );
    assert!(
        parts <= 2 * size,
        "read in parts, the parse held {parts} bytes more than the workflow, for {size} bytes of input"
    );
    // What this bounds: parsed at once, the same file holds tens of times its size.
    assert!(whole > 10 * size, "parsed at once: {whole} bytes");
}

/// `rehearse validate`'s path, from the file on disk: at most 5× the
/// file's size. Keeping the workflow, as `run` must, holds far more.
#[test]
fn validation_holds_at_most_five_times_the_file() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("big.toml", big_workflow(4500)),
        ("tiny.toml", tiny_workflow(20_000)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let size = text.len();
        drop(text);
        let (held, checked) = peak(|| rehearse::validate::load_summary(&path));
        let (_, summary) = checked.unwrap_or_else(|(_, d)| panic!("{name}: {d:?}"));
        assert!(summary.steps >= 4500, "{name}: {summary:?}");
        let (kept, loaded) = peak(|| rehearse::validate::load(&path));
        assert!(loaded.is_ok(), "{name}");
        eprintln!("{name}, {size} bytes: validation held {held} bytes, keeping the workflow {kept}");
        assert!(
            held <= 5 * size,
            "{name}: validation held {held} bytes for {size} bytes of input ({:.1}×)",
            held as f64 / size as f64
        );
        assert!(kept > 5 * size, "{name}: keeping the workflow held {kept} bytes");
    }
}
