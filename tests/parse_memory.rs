//! Reading a workflow in parts bounds what the TOML parse holds on top of
//! the workflow it gives: one part's tokens and tree, not the file's.
//!
//! The heap is counted by this test binary's allocator, so the figures are
//! exact and the same on every machine; it holds one test, so no other test
//! allocates meanwhile.

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
