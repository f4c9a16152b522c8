use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use super::*;

/// Long enough for any answer on a loaded machine; only a hang waits this long.
const PATIENCE: Duration = Duration::from_secs(20);

/// A job kind for the tests: `"wait"` runs until cancelled, `"boom"` panics, a request
/// ending in `!` must be kept; every request answers `(id, what happened)`.
struct Echo {
    started: mpsc::Sender<JobId>,
}

impl Job for Echo {
    type Request = String;
    type Message = (JobId, String);

    fn run(
        &mut self,
        id: JobId,
        request: String,
        cancel: &CancelToken,
        out: &Emitter<Self::Message>,
    ) {
        let _ = self.started.send(id);
        match request.as_str() {
            "wait" => {
                let deadline = std::time::Instant::now() + PATIENCE;
                while !cancel.is_cancelled() && std::time::Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(2));
                }
                let seen = if cancel.is_cancelled() {
                    "cancelled"
                } else {
                    "not cancelled"
                };
                out.send((id, seen.to_owned()));
            }
            "boom" => panic!("a job that breaks"),
            other => {
                out.send((id, format!("done {other}")));
            }
        }
    }

    fn panicked(&mut self, id: JobId, what: &str, why: &str, out: &Emitter<Self::Message>) {
        out.send((id, format!("{what} failed: {why}")));
    }

    fn describe(request: &String) -> String {
        request.clone()
    }

    fn keep(request: &String) -> bool {
        request.ends_with('!')
    }
}

fn lane() -> (Lane<Echo>, Receiver<(JobId, String)>, Receiver<JobId>) {
    let (tx, rx) = mpsc::channel();
    let (started_tx, started_rx) = mpsc::channel();
    let lane = Lane::spawn(
        "test lane",
        Echo {
            started: started_tx,
        },
        tx,
    )
    .unwrap();
    (lane, rx, started_rx)
}

fn answer(rx: &Receiver<(JobId, String)>) -> (JobId, String) {
    rx.recv_timeout(PATIENCE).expect("the lane answers")
}

#[test]
fn the_latest_request_wins_and_the_running_one_is_told_to_stop() {
    let (mut lane, rx, started) = lane();
    lane.submit(1, "wait".into());
    assert_eq!(started.recv_timeout(PATIENCE), Ok(1), "the first job runs");
    assert!(lane.is_pending());
    lane.submit(2, "two".into());
    lane.submit(3, "three".into());
    assert_eq!(
        answer(&rx),
        (1, "cancelled".into()),
        "the running job saw its cancel"
    );
    assert_eq!(
        answer(&rx),
        (3, "done three".into()),
        "the newest request runs next"
    );
    assert_eq!(
        started.recv_timeout(PATIENCE),
        Ok(3),
        "the superseded one never ran"
    );
    assert!(
        rx.recv_timeout(Duration::from_millis(100)).is_err(),
        "nothing for 2"
    );
}

#[test]
fn requests_to_keep_are_neither_dropped_nor_cancelled() {
    let (mut lane, rx, started) = lane();
    lane.submit(1, "wait".into());
    assert_eq!(started.recv_timeout(PATIENCE), Ok(1));
    lane.submit(2, "save!".into());
    lane.submit(3, "look".into());
    lane.submit(4, "look again".into());
    assert_eq!(answer(&rx), (1, "cancelled".into()));
    assert_eq!(answer(&rx), (2, "done save!".into()), "the save is kept");
    assert_eq!(answer(&rx), (4, "done look again".into()));
}

#[test]
fn a_panicking_job_becomes_an_answer_and_the_lane_goes_on() {
    let (mut lane, rx, _started) = lane();
    lane.submit(5, "boom".into());
    let (id, text) = answer(&rx);
    assert_eq!(id, 5);
    assert_eq!(text, "boom failed: a job that breaks");
    lane.submit(6, "next".into());
    assert_eq!(answer(&rx), (6, "done next".into()));
}

#[test]
fn dropping_the_lane_cancels_the_running_job_and_still_runs_what_it_keeps() {
    let (mut lane, rx, started) = lane();
    lane.submit(1, "wait".into());
    assert_eq!(started.recv_timeout(PATIENCE), Ok(1));
    lane.submit(2, "keep me!".into());
    lane.submit(3, "drop me".into());
    drop(lane);
    assert_eq!(answer(&rx), (1, "cancelled".into()));
    assert_eq!(
        answer(&rx),
        (2, "done keep me!".into()),
        "a save is not lost"
    );
    assert!(
        rx.recv_timeout(PATIENCE).is_err(),
        "what may be dropped is, and the worker ends (the channel closes)"
    );
}
