//! The last guard against noise: a panic inside a dependency while checking a PDF is caught
//! (`catch_unwind` in `check`) and must print nothing. The panic hook is process-global, so
//! ours wraps the one in place and stays silent only on threads that are inside a check; every
//! other thread's panics are reported as before.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

/// While alive, panics on this thread print nothing.
pub(crate) struct Quiet {
    was: bool,
}

impl Quiet {
    /// Silences panic messages on the current thread until the guard is dropped.
    pub fn new() -> Self {
        INSTALL.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.with(Cell::get) {
                    previous(info);
                }
            }));
        });
        Quiet {
            was: QUIET.with(|q| q.replace(true)),
        }
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(self.was));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn only_the_guarded_thread_is_silenced() {
        {
            let _quiet = Quiet::new();
            assert!(QUIET.with(Cell::get));
            let other = std::thread::spawn(|| QUIET.with(Cell::get)).join().unwrap();
            assert!(!other);
            let caught = std::panic::catch_unwind(|| panic!("silent"));
            assert!(caught.is_err());
        }
        assert!(!QUIET.with(Cell::get));
    }
}
