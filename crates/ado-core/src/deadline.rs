//! Per-attempt time limits without a timer per attempt. Each attempt in flight records its
//! deadline and waker in its configuration's [`Watch`]; one task per configuration, alive while
//! attempts are in flight, wakes the overdue ones every tick (an eighth of the limit, at most a
//! second). A tokio timer per attempt wakes the runtime's driver on every call to re-arm it, which
//! costs about 2% of a loopback call (measured with `overhead_paired`).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::time::Instant;

/// The deadlines of one configuration's attempts in flight.
pub(crate) struct Watch {
    limit: Duration,
    tick: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    slots: Vec<Option<Entry>>,
    free: Vec<usize>,
    ticking: bool,
}

struct Entry {
    deadline: Instant,
    waker: Waker,
}

impl State {
    /// How many attempts are registered: every slot not on the free list.
    fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

impl Watch {
    /// A watch for attempts limited to `limit`.
    pub(crate) fn new(limit: Duration) -> Self {
        Self {
            limit,
            tick: (limit / 8).clamp(Duration::from_millis(1), Duration::from_secs(1)),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the state consistent (every change is one step).
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Run `future` for at most the watch's limit: `None` when the limit passed first.
pub(crate) fn within<F: Future>(watch: &Arc<Watch>, future: F) -> Within<'_, F> {
    Within {
        future,
        deadline: None,
        registration: Registration {
            watch,
            slot: None,
            waker: None,
        },
    }
}

pin_project_lite::pin_project! {
    /// The future [`within`] returns.
    pub(crate) struct Within<'a, F> {
        #[pin]
        future: F,
        // Set at the first poll: the limit counts from when the attempt starts.
        deadline: Option<Instant>,
        registration: Registration<'a>,
    }
}

impl<F: Future> Future for Within<'_, F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let first = this.deadline.is_none();
        let deadline = *this
            .deadline
            .get_or_insert_with(|| Instant::now() + this.registration.watch.limit);
        if let Poll::Ready(output) = this.future.poll(cx) {
            return Poll::Ready(Some(output));
        }
        // At the first poll the limit has only just started.
        if !first && Instant::now() >= deadline {
            return Poll::Ready(None);
        }
        this.registration.arm(deadline, cx.waker());
        Poll::Pending
    }
}

/// One attempt's entry in the watch, removed when the attempt ends.
struct Registration<'a> {
    watch: &'a Arc<Watch>,
    slot: Option<usize>,
    /// The waker last recorded, to skip the lock when it has not changed.
    waker: Option<Waker>,
}

impl Registration<'_> {
    fn arm(&mut self, deadline: Instant, waker: &Waker) {
        if self.waker.as_ref().is_some_and(|w| w.will_wake(waker)) {
            return;
        }
        let mut state = self.watch.state();
        let entry = Entry {
            deadline,
            waker: waker.clone(),
        };
        match self.slot {
            Some(slot) => state.slots[slot] = Some(entry),
            None => {
                let slot = match state.free.pop() {
                    Some(slot) => {
                        state.slots[slot] = Some(entry);
                        slot
                    }
                    None => {
                        state.slots.push(Some(entry));
                        state.slots.len() - 1
                    }
                };
                self.slot = Some(slot);
            }
        }
        let start = !state.ticking;
        state.ticking = true;
        // Started with the lock released: a runtime that is shutting down may drop the task at
        // once, and its drop takes the lock.
        drop(state);
        if start && !start_ticking(self.watch) {
            self.watch.state().ticking = false;
        }
        self.waker = Some(waker.clone());
    }
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            let mut state = self.watch.state();
            state.slots[slot] = None;
            state.free.push(slot);
        }
    }
}

/// Start the task that wakes overdue attempts; `false` outside a tokio runtime (the attempt then
/// runs without a limit, as it could not have a timer either).
fn start_ticking(watch: &Arc<Watch>) -> bool {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return false;
    };
    let ticking = Ticking {
        watch: Arc::clone(watch),
        stopped: Cell::new(false),
    };
    runtime.spawn(async move {
        let mut overdue = Vec::new();
        loop {
            tokio::time::sleep(ticking.watch.tick).await;
            {
                let mut state = ticking.watch.state();
                if state.live() == 0 {
                    state.ticking = false;
                    // The flag is down already: another task may be ticking by the time this
                    // one is dropped.
                    ticking.stopped.set(true);
                    return;
                }
                let now = Instant::now();
                overdue.extend(
                    state
                        .slots
                        .iter()
                        .flatten()
                        .filter(|entry| entry.deadline <= now)
                        .map(|entry| entry.waker.clone()),
                );
            }
            // Woken with the lock released: a waker may poll the attempt at once.
            overdue.drain(..).for_each(Waker::wake);
        }
    });
    true
}

/// The ticking task's hold on the watch; if the task is dropped before it stopped (its runtime
/// shut down), the next attempt starts a new one.
struct Ticking {
    watch: Arc<Watch>,
    stopped: Cell<bool>,
}

impl Drop for Ticking {
    fn drop(&mut self) {
        if !self.stopped.get() {
            self.watch.state().ticking = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_future_that_finishes_in_time_gives_its_output() {
        let watch = Arc::new(Watch::new(Duration::from_secs(8)));
        let output = within(&watch, async {
            tokio::time::sleep(Duration::from_secs(7)).await;
            7
        })
        .await;
        assert_eq!(output, Some(7));
        assert_eq!(watch.state().live(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_future_past_its_limit_is_stopped_within_one_tick() {
        let watch = Arc::new(Watch::new(Duration::from_secs(8)));
        let started = Instant::now();
        let output = within(&watch, std::future::pending::<()>()).await;
        assert_eq!(output, None);
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(8) && waited <= Duration::from_secs(9),
            "{waited:?}"
        );
        assert_eq!(watch.state().live(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn the_ticking_task_stops_when_nothing_is_in_flight_and_starts_again() {
        let watch = Arc::new(Watch::new(Duration::from_secs(8)));
        within(&watch, tokio::time::sleep(Duration::from_secs(2))).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(!watch.state().ticking);
        let output = within(&watch, std::future::pending::<()>()).await;
        assert_eq!(output, None);
    }

    #[test]
    fn a_runtime_that_shuts_down_takes_its_ticking_task_and_the_next_starts_another() {
        let watch = Arc::new(Watch::new(Duration::from_millis(80)));
        let first = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut pending = Box::pin(within(&watch, std::future::pending::<()>()));
        // Poll once so that the attempt is registered and the ticking task started.
        assert!(first.block_on(async { futures::poll!(&mut pending) }).is_pending());
        assert!(watch.state().ticking);
        drop(first);
        assert!(!watch.state().ticking);
        drop(pending);
        let second = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let output = second.block_on(within(&watch, std::future::pending::<()>()));
        assert_eq!(output, None);
    }

    #[tokio::test(start_paused = true)]
    async fn many_attempts_in_flight_each_keep_their_own_deadline() {
        let watch = Arc::new(Watch::new(Duration::from_secs(8)));
        let quick = within(&watch, tokio::time::sleep(Duration::from_secs(1)));
        let stuck = within(&watch, std::future::pending::<()>());
        let (quick, stuck) = tokio::join!(quick, stuck);
        assert_eq!((quick, stuck), (Some(()), None));
        assert_eq!(watch.state().live(), 0);
    }
}
