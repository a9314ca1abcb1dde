//! The core's work done with the GIL released, so that tasks in threads of one process (Sail
//! runs its Python UDFs in threads of its server's process) score in parallel: only the
//! conversions to and from Python objects hold it.

use pyo3::Python;

/// A value carried into and out of [`Python::detach`].
struct Here<T>(T);

// SAFETY: `Python::detach` runs its closure on the calling thread and returns only when the
// closure has, so what is carried in and out never reaches another thread. What the closure
// borrows stays safe while other Python threads run: an `Analysis` is `unsendable` (PyO3 refuses
// its use from any other thread), and the Arrow arrays and strings given by Python are immutable
// and kept alive by the call.
unsafe impl<T> Send for Here<T> {}

/// `f()` with the GIL released.
pub fn free<T>(py: Python, f: impl FnOnce() -> T) -> T {
    let f = Here(f);
    py.detach(move || {
        let f = f;
        Here((f.0)())
    })
    .0
}
