//! A panic inside the implementation under test becomes the run's failure, said once: its
//! message and where it happened (a student's unfinished method at `src/raft.rs:42:9`), with no
//! second copy from the default panic hook and no backtrace wall. Panics outside a run (in
//! the harness itself, in a test's own asserts) still reach the previous hook unchanged.
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::failure::{Broke, Failure};

thread_local! {
    /// True while this thread runs a story whose panics are captured.
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// Where the captured panic happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs, once per process, a hook that keeps quiet about panics being captured.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let at =
                    info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                LOCATION.with(|slot| *slot.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `body`; a panic inside it becomes a `Broke::Panic` failure with its message and
/// location.
pub(crate) fn capture<T>(body: impl FnOnce() -> T) -> Result<T, Failure> {
    install_hook();
    let was = CAPTURING.with(|c| c.replace(true));
    LOCATION.with(|slot| slot.borrow_mut().take());
    let outcome = panic::catch_unwind(AssertUnwindSafe(body));
    CAPTURING.with(|c| c.set(was));
    outcome.map_err(|panic| {
        let at = LOCATION.with(|slot| slot.borrow_mut().take());
        let mut message = format!("the implementation panicked: {}", panic_text(&panic));
        if let Some(at) = at {
            message.push_str(&format!(" (at {at})"));
        }
        Failure { broke: Broke::Panic, message }
    })
}

fn panic_text(panic: &Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a non-text panic".to_string())
}
