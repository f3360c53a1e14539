//! The allocator of `roei/fast` (feature `record-arena`, which only scripts/build-wasm.sh's
//! `roei_fast` build turns on): a bump arena for the temporaries of one record in a batch, in front
//! of std's allocator (dlmalloc on wasm32).
//!
//! Why: a batch call reads and evaluates each record in turn, and everything it allocates for a
//! record (the text copied in from JS, the parsed record, the evaluation) is freed before the next
//! record starts. Bumping a pointer is cheaper than dlmalloc's bins, and freeing is a count
//! (BENCHMARKS.md, issue 17 target 1, session 7).
//!
//! How: inside [`per_record`], an allocation that fits is cut from the arena (one block of
//! [`ARENA_BYTES`] taken from dlmalloc the first time, kept for the instance's life) and counted as
//! live; freeing one counts it off, and when no arena allocation is live the arena starts again
//! from its beginning. So memory stays bounded whatever the batch size: at most the arena plus what
//! dlmalloc holds. What does not fit (a larger request, a full arena) and everything outside
//! [`per_record`] goes to dlmalloc as before; a block from the arena that outlives its record only
//! delays the restart until it is freed. [`outside`] runs what must outlive the record (the answer
//! being packed) on dlmalloc. Without the feature both are plain calls and std's allocator is used.
//! WASM without threads (this build) has one thread, so the arena's state needs no lock.

/// Runs `f` (reading and evaluating one record) with its allocations cut from the record arena.
#[inline(always)]
pub fn per_record<T>(f: impl FnOnce() -> T) -> T {
    with_arena(true, f)
}

/// Runs `f` inside [`per_record`] with its allocations on std's allocator: what outlives the record.
#[inline(always)]
pub fn outside<T>(f: impl FnOnce() -> T) -> T {
    with_arena(false, f)
}

/// Runs `f` with the arena on or off, then puts back what was.
#[inline(always)]
fn with_arena<T>(on: bool, f: impl FnOnce() -> T) -> T {
    #[cfg(all(feature = "record-arena", target_arch = "wasm32"))]
    {
        let before = ARENA.active.replace(on);
        let out = f();
        ARENA.active.set(before);
        out
    }
    #[cfg(not(all(feature = "record-arena", target_arch = "wasm32")))]
    {
        let _ = on;
        f()
    }
}

/// The arena's size: the benchmark's 12-event records (1.9 KB of text) peak at 17 KB in the arena
/// (the text, the parsed record, the evaluation), so a record 15 times that size still fits; what
/// does not fit goes to dlmalloc.
#[cfg(all(feature = "record-arena", target_arch = "wasm32"))]
const ARENA_BYTES: usize = 256 << 10;

#[cfg(all(feature = "record-arena", target_arch = "wasm32"))]
mod imp {
    use super::ARENA_BYTES;
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    pub struct RecordArena {
        /// The arena block `[start, end)`; 0, 0 until the first allocation in a record.
        start: Cell<usize>,
        end: Cell<usize>,
        /// Where the next arena allocation goes.
        next: Cell<usize>,
        /// Arena allocations not yet freed.
        live: Cell<usize>,
        /// Inside [`super::per_record`] and not [`super::outside`].
        pub active: Cell<bool>,
    }

    // SAFETY: wasm32 without the atomics feature runs one thread; nothing else reaches the cells.
    unsafe impl Sync for RecordArena {}

    impl RecordArena {
        pub const fn new() -> Self {
            RecordArena {
                start: Cell::new(0),
                end: Cell::new(0),
                next: Cell::new(0),
                live: Cell::new(0),
                active: Cell::new(false),
            }
        }

        fn owns(&self, ptr: *mut u8) -> bool {
            let p = ptr as usize;
            p >= self.start.get() && p < self.end.get()
        }

        /// A block cut from the arena, or null when it does not fit (or the arena cannot be had).
        unsafe fn bump(&self, layout: Layout) -> *mut u8 {
            if self.end.get() == 0 {
                // SAFETY: a non-zero size and a power-of-two alignment.
                let block =
                    unsafe { System.alloc(Layout::from_size_align_unchecked(ARENA_BYTES, 16)) };
                if block.is_null() {
                    return block;
                }
                self.start.set(block as usize);
                self.next.set(block as usize);
                self.end.set(block as usize + ARENA_BYTES);
            }
            let align = layout.align() - 1;
            let at = self.next.get().checked_add(align).map(|a| a & !align);
            match at.and_then(|at| Some((at, at.checked_add(layout.size())?))) {
                Some((at, after)) if after <= self.end.get() => {
                    self.next.set(after);
                    self.live.set(self.live.get() + 1);
                    at as *mut u8
                }
                _ => std::ptr::null_mut(),
            }
        }
    }

    unsafe impl GlobalAlloc for RecordArena {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if self.active.get() {
                let p = unsafe { self.bump(layout) };
                if !p.is_null() {
                    return p;
                }
            }
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if self.owns(ptr) {
                let live = self.live.get() - 1;
                self.live.set(live);
                if live == 0 {
                    self.next.set(self.start.get());
                }
            } else {
                unsafe { System.dealloc(ptr, layout) }
            }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if !self.owns(ptr) {
                return unsafe { System.realloc(ptr, layout, new_size) };
            }
            // The last block cut grows or shrinks in place while the arena has room.
            let p = ptr as usize;
            if p + layout.size() == self.next.get()
                && p.checked_add(new_size)
                    .is_some_and(|after| after <= self.end.get())
            {
                self.next.set(p + new_size);
                return ptr;
            }
            if new_size <= layout.size() {
                return ptr;
            }
            // SAFETY: the caller's layout with a larger size keeps a valid alignment.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            let moved = unsafe { self.alloc(new_layout) };
            if !moved.is_null() {
                unsafe {
                    std::ptr::copy_nonoverlapping(ptr, moved, layout.size());
                    self.dealloc(ptr, layout);
                }
            }
            moved
        }
    }
}

#[cfg(all(feature = "record-arena", target_arch = "wasm32"))]
#[global_allocator]
static ARENA: imp::RecordArena = imp::RecordArena::new();
