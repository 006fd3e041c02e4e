//! Where the generator's background work runs while the spec is read.
//!
//! The CLI's formatting threads start before the spec is read (see
//! `output::check_then_render`); until the IR is ready they take the tasks of `check`: the
//! other copies of a service file read in copies (`split.rs`) and the platform file the
//! service names. Elsewhere (the `check` API, build scripts, the proc-macro) a task gets a
//! thread of its own.
//!
//! A thread that waits for a task's result first takes queued tasks back and runs them
//! itself: on a VM a helper thread may not run for milliseconds after it is woken (seen
//! here: 0.1 to 3 ms, as long as all the work it was given), and then the caller is better
//! off doing the work than waiting for it.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A unit of background work.
pub(crate) type Task = Box<dyn FnOnce() + Send>;

/// Tasks waiting for a thread, shared by the threads that [`Pool::serve`] and the ones
/// that wait for results.
#[derive(Default)]
pub(crate) struct Pool {
    queue: Mutex<Queue>,
    ready: Condvar,
}

#[derive(Default)]
struct Queue {
    tasks: VecDeque<Task>,
    closed: bool,
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, task: Task) {
        self.lock().tasks.push_back(task);
        self.ready.notify_one();
    }

    /// A queued task, if any.
    fn take(&self) -> Option<Task> {
        self.lock().tasks.pop_front()
    }

    /// No more tasks will come: the threads in [`Pool::serve`] return once the queue is empty.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Runs queued tasks until the pool is closed and empty. A panicking task only loses
    /// its own result.
    pub(crate) fn serve(&self) {
        loop {
            let task = wait_for(
                || {
                    let mut queue = self.lock();
                    match queue.tasks.pop_front() {
                        Some(task) => Some(Some(task)),
                        None if queue.closed => Some(None),
                        None => None,
                    }
                },
                || {
                    let mut queue = self.lock();
                    loop {
                        if let Some(task) = queue.tasks.pop_front() {
                            return Some(task);
                        }
                        if queue.closed {
                            return None;
                        }
                        queue = self.ready.wait(queue).unwrap_or_else(|e| e.into_inner());
                    }
                },
            );
            let Some(task) = task else {
                return;
            };
            let _ = catch_unwind(AssertUnwindSafe(task));
        }
    }
}

/// Where [`Helpers::run`] sends work.
pub(crate) enum Helpers<'a> {
    /// The queue of threads that [`Pool::serve`].
    Pool(&'a Pool),
    /// A thread of its own per task.
    NewThread,
    /// The calling thread, at once (one core: nothing runs beside it).
    Inline,
}

impl<'a> Helpers<'a> {
    /// A thread per task when there are several cores, else the calling thread.
    pub(crate) fn own_threads() -> Helpers<'static> {
        if crate::workers() > 1 { Helpers::NewThread } else { Helpers::Inline }
    }

    /// Starts `work` in the background. Work that cannot start (no thread) or that panics
    /// gives `None` to [`Pending::wait`]: the caller then does it itself, the usual way.
    pub(crate) fn run<R: Send + 'static>(&self, work: impl FnOnce() -> R + Send + 'static) -> Pending<'a, R> {
        let (done, result) = mpsc::channel();
        let task: Task = Box::new(move || {
            let _ = done.send(work());
        });
        let mut pool = None;
        match self {
            Helpers::Pool(p) => {
                p.push(task);
                pool = Some(*p);
            }
            Helpers::NewThread => drop(std::thread::Builder::new().spawn(task)),
            Helpers::Inline => task(),
        }
        Pending { result, pool }
    }

    /// Whether work sent here runs beside the calling thread.
    pub(crate) fn in_parallel(&self) -> bool {
        !matches!(self, Helpers::Inline)
    }
}

/// The result of work started by [`Helpers::run`].
pub(crate) struct Pending<'a, R> {
    result: Receiver<R>,
    /// The pool the work was queued on: while waiting, this thread runs queued tasks.
    pool: Option<&'a Pool>,
}

impl<R> Pending<'_, R> {
    /// Waits for the result, running queued tasks (this one's included) meanwhile; `None`
    /// if the work could not run or panicked.
    pub(crate) fn wait(self) -> Option<R> {
        wait_for(
            || {
                match self.result.try_recv() {
                    Ok(result) => return Some(Some(result)),
                    Err(TryRecvError::Disconnected) => return Some(None),
                    Err(TryRecvError::Empty) => {}
                }
                if let Some(task) = self.pool.and_then(Pool::take) {
                    let _ = catch_unwind(AssertUnwindSafe(task));
                }
                None
            },
            || self.result.recv().ok(),
        )
    }
}

/// How long a waiting thread polls before it sleeps. Waking a sleeping thread means waking
/// its core, and on a VM, whose idle virtual CPUs the host deschedules, that took up to
/// milliseconds here: as long as a whole run on a small spec. The polling thread yields its
/// core between polls, so a thread it waits for that shares the core still runs. A big
/// spec's longer waits fall asleep after this.
const POLL_FOR: Duration = Duration::from_millis(5);

/// `poll` (yielding the core between polls) until it answers or [`POLL_FOR`] has passed,
/// then `block`.
pub(crate) fn wait_for<T>(mut poll: impl FnMut() -> Option<T>, block: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    loop {
        if let Some(answer) = poll() {
            return answer;
        }
        if start.elapsed() > POLL_FOR {
            return block();
        }
        std::thread::yield_now();
    }
}

/// The calling thread's core, where the platform tells (see [`move_off`]).
pub(crate) fn current_core() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: no arguments; returns the calling thread's CPU or -1.
        usize::try_from(unsafe { libc::sched_getcpu() }).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Moves the calling thread off `core` (the core of the thread that started it), then lets
/// it run anywhere again. Linux starts a thread on its parent's core, and here it stayed
/// there behind its busy parent until the parent slept or yielded, while the other core
/// idled: measured on Baike, the helper ran nothing until the main thread waited for it
/// (1.5 ms in), and formatting ran on one core. A thread asked to leave a core moves at
/// once; the parent yields its core after starting the threads so that they get to ask.
pub(crate) fn move_off(core: Option<usize>) {
    #[cfg(target_os = "linux")]
    if let Some(core) = core {
        // SAFETY: `cpu_set_t` is plain data; the calls read and write only `allowed` and
        // `elsewhere` and change only this thread's affinity.
        unsafe {
            let mut allowed: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut allowed) != 0 {
                return;
            }
            let mut elsewhere = allowed;
            libc::CPU_CLR(core, &mut elsewhere);
            if libc::CPU_COUNT(&elsewhere) == 0 {
                return;
            }
            let size = std::mem::size_of::<libc::cpu_set_t>();
            libc::sched_setaffinity(0, size, &elsewhere);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = core;
}

/// Keeps the calling thread on its core until dropped (see [`move_off`]).
pub(crate) struct Stay(#[cfg(target_os = "linux")] Option<libc::cpu_set_t>);

impl Stay {
    pub(crate) fn on(core: Option<usize>) -> Stay {
        #[cfg(target_os = "linux")]
        {
            let Some(core) = core else {
                return Stay(None);
            };
            // SAFETY: as in `move_off`.
            unsafe {
                let size = std::mem::size_of::<libc::cpu_set_t>();
                let mut allowed: libc::cpu_set_t = std::mem::zeroed();
                if libc::sched_getaffinity(0, size, &mut allowed) != 0 {
                    return Stay(None);
                }
                let mut here: libc::cpu_set_t = std::mem::zeroed();
                libc::CPU_SET(core, &mut here);
                if libc::sched_setaffinity(0, size, &here) != 0 {
                    return Stay(None);
                }
                Stay(Some(allowed))
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = core;
            Stay()
        }
    }
}

impl Drop for Stay {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(allowed) = &self.0 {
            // SAFETY: as in `move_off`.
            unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), allowed) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Helpers, Pool};

    #[test]
    fn every_kind_of_helper_runs_the_work_and_returns_its_result() {
        let pool = Pool::default();
        std::thread::scope(|scope| {
            scope.spawn(|| pool.serve());
            for helpers in [Helpers::Pool(&pool), Helpers::NewThread, Helpers::Inline] {
                assert_eq!(helpers.run(|| 6 * 7).wait(), Some(42));
            }
            pool.close();
        });
    }

    #[test]
    fn a_waiting_thread_runs_queued_work_itself() {
        // Nobody serves this pool: the waiting thread runs the task.
        let pool = Pool::default();
        assert_eq!(Helpers::Pool(&pool).run(|| 7).wait(), Some(7));
    }

    /// The calling thread's allowed cores.
    #[cfg(target_os = "linux")]
    fn allowed() -> Vec<usize> {
        // SAFETY: reads this thread's affinity into a zeroed set.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            assert_eq!(libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set), 0);
            (0..libc::CPU_SETSIZE as usize).filter(|c| libc::CPU_ISSET(*c, &set)).collect()
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_main_thread_stays_on_its_core_and_gets_all_back() {
        let before = allowed();
        let here = super::current_core();
        {
            let _stay = super::Stay::on(here);
            assert_eq!(allowed(), vec![here.expect("a core")], "pinned while the work runs");
        }
        assert_eq!(allowed(), before, "every core allowed again");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_helper_moves_off_the_given_core() {
        let here = super::current_core().expect("a core");
        let cores = std::thread::spawn(move || {
            super::move_off(Some(here));
            allowed()
        })
        .join()
        .expect("helper");
        if allowed().len() > 1 {
            assert!(!cores.contains(&here), "{cores:?} still holds {here}");
        } else {
            assert_eq!(cores, vec![here], "one core: nowhere else to go");
        }
    }

    #[test]
    fn work_that_panics_gives_none_and_the_pool_goes_on() {
        let pool = Pool::default();
        std::thread::scope(|scope| {
            scope.spawn(|| pool.serve());
            let helpers = Helpers::Pool(&pool);
            assert_eq!(helpers.run(|| -> u8 { panic!("task fails") }).wait(), None);
            assert_eq!(helpers.run(|| 1).wait(), Some(1));
            pool.close();
        });
    }
}
