//! Background work, off the UI thread: one lane per kind of job (glossary lookups,
//! loading the rest of a document, machine translation), each with its own
//! worker thread, so that a slow job of one kind never queues behind another.
//!
//! What a lane promises:
//! - **latest wins:** a new request replaces the one waiting in the lane, and the
//!   running job is told to stop through its [`CancelToken`]; a request the job kind
//!   marks as one to [`keep`](Job::keep) (saving a gloss) is never dropped;
//! - **answers carry their job id:** the job's messages go to one channel, and the
//!   receiver (`app::update`) drops answers to a request it no longer waits for;
//! - **a panic is an answer:** a job that panics becomes the message
//!   [`Job::panicked`] makes of it, and the lane goes on with the next request.

pub mod document;
pub mod glossary;
pub mod translate;

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// Names one request, so that its answer can be matched with it.
pub type JobId = u64;

/// Tells a running job that nobody waits for its answer any more. A job polls it at
/// the points where stopping is cheap (between two sources, between two chunks read).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// True once the job has been superseded or its lane closed.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Where a job's messages go.
pub struct Emitter<M> {
    sender: Sender<M>,
}

impl<M> Emitter<M> {
    /// Sends a message; false when nobody listens any more (the reader quit).
    pub fn send(&self, message: M) -> bool {
        self.sender.send(message).is_ok()
    }
}

/// A kind of job: what its worker keeps between requests, and how it answers.
pub trait Job: Send + 'static {
    type Request: Send + 'static;
    type Message: Send + 'static;

    /// Runs once on the worker thread before the first request (opening dictionaries,
    /// say), so that it never delays the UI.
    fn start(&mut self, _out: &Emitter<Self::Message>) {}

    /// Answers one request, sending what it finds to `out`.
    fn run(
        &mut self,
        id: JobId,
        request: Self::Request,
        cancel: &CancelToken,
        out: &Emitter<Self::Message>,
    );

    /// The messages for a request whose job panicked; `why` is what the panic said.
    fn panicked(&mut self, id: JobId, what: &str, why: &str, out: &Emitter<Self::Message>);

    /// A short description of a request, for [`Job::panicked`] (the word looked up).
    fn describe(request: &Self::Request) -> String;

    /// True for a request that a newer one must not replace.
    fn keep(_request: &Self::Request) -> bool {
        false
    }
}

struct Queued<R> {
    id: JobId,
    request: R,
    cancel: CancelToken,
}

struct LaneState<R> {
    queue: VecDeque<Queued<R>>,
    /// The running job's token, and whether a newer request may cancel it.
    running: Option<(CancelToken, bool)>,
    closed: bool,
}

struct Shared<R> {
    state: Mutex<LaneState<R>>,
    wake: Condvar,
}

impl<R> Shared<R> {
    fn lock(&self) -> MutexGuard<'_, LaneState<R>> {
        // A job runs outside the lock, so a poisoned lock only means a panic between two
        // plain assignments: the state is still whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One lane: a worker thread and the requests waiting for it. Dropping the lane cancels
/// what runs and drops what waits, except the requests to keep, which the worker still
/// runs before it ends.
pub struct Lane<J: Job> {
    shared: Arc<Shared<J::Request>>,
    worker: Option<JoinHandle<()>>,
}

impl<J: Job> Lane<J> {
    /// Starts a lane named `name` (the worker thread's name, shown if it panics anyway),
    /// whose job sends its messages to `sender`.
    pub fn spawn(name: &str, job: J, sender: Sender<J::Message>) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(LaneState {
                queue: VecDeque::new(),
                running: None,
                closed: false,
            }),
            wake: Condvar::new(),
        });
        let worker_shared = Arc::clone(&shared);
        let worker = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || work(job, &worker_shared, &Emitter { sender }))?;
        Ok(Lane {
            shared,
            worker: Some(worker),
        })
    }

    /// Queues `request` under the id `id` (ids come from the App, which matches the
    /// answers). A waiting request that may be dropped is dropped, and a running one is
    /// cancelled, unless the job kind keeps them.
    pub fn submit(&mut self, id: JobId, request: J::Request) {
        let mut state = self.shared.lock();
        state.queue.retain(|queued| J::keep(&queued.request));
        if let Some((cancel, false)) = &state.running {
            cancel.cancel();
        }
        state.queue.push_back(Queued {
            id,
            request,
            cancel: CancelToken::default(),
        });
        drop(state);
        self.shared.wake.notify_one();
    }

    /// Drops the requests waiting (except those to keep) and tells the running job to
    /// stop: nobody waits for their answers any more.
    pub fn cancel(&mut self) {
        let mut state = self.shared.lock();
        state.queue.retain(|queued| J::keep(&queued.request));
        if let Some((cancel, false)) = &state.running {
            cancel.cancel();
        }
    }

    /// True while a request waits or runs (for a spinner).
    pub fn is_pending(&self) -> bool {
        let state = self.shared.lock();
        !state.queue.is_empty() || state.running.is_some()
    }
}

impl<J: Job> Drop for Lane<J> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.closed = true;
        state.queue.retain(|queued| J::keep(&queued.request));
        if let Some((cancel, false)) = &state.running {
            cancel.cancel();
        }
        drop(state);
        self.shared.wake.notify_all();
        // Not joined: a job stuck in a blocking call (a DICT server that never answers)
        // must not keep the reader from quitting. The worker ends on its own.
        self.worker.take();
    }
}

/// The worker's loop: starts the job, then runs requests until the lane is dropped and
/// nothing to keep waits.
fn work<J: Job>(mut job: J, shared: &Shared<J::Request>, out: &Emitter<J::Message>) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| job.start(out))) {
        let why = crate::terminal::panic_text(&*payload);
        job.panicked(0, "starting", &why, out);
    }
    loop {
        let next = {
            let mut state = shared.lock();
            loop {
                if let Some(next) = state.queue.pop_front() {
                    state.running = Some((next.cancel.clone(), J::keep(&next.request)));
                    break next;
                }
                if state.closed {
                    return;
                }
                state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            }
        };
        let Queued {
            id,
            request,
            cancel,
        } = next;
        let what = J::describe(&request);
        let ran = catch_unwind(AssertUnwindSafe(|| job.run(id, request, &cancel, out)));
        if let Err(payload) = ran {
            let why = crate::terminal::panic_text(&*payload);
            job.panicked(id, &what, &why, out);
        }
        shared.lock().running = None;
    }
}

#[cfg(test)]
mod tests;
