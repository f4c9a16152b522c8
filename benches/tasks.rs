//! What a `tasks` lane adds to a job: from `submit` to its answer on the channel, for a
//! job that does nothing. The translation feature (issue 9) promises under 5 ms added
//! per request; the lane's share of it is measured here.

use std::sync::mpsc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use qari::tasks::{CancelToken, Emitter, Job, JobId, Lane};

/// Answers at once with its id.
struct Echo;

impl Job for Echo {
    type Request = ();
    type Message = JobId;

    fn run(&mut self, id: JobId, _request: (), _cancel: &CancelToken, out: &Emitter<JobId>) {
        out.send(id);
    }

    fn panicked(&mut self, id: JobId, _what: &str, _why: &str, out: &Emitter<JobId>) {
        out.send(id);
    }

    fn describe(_request: &()) -> String {
        String::new()
    }
}

fn bench(c: &mut Criterion) {
    let (tx, rx) = mpsc::channel();
    let mut lane = Lane::spawn("bench lane", Echo, tx).expect("a thread");
    let mut id = 0;
    c.bench_function("lane round trip (submit to answer)", |b| {
        b.iter(|| {
            id += 1;
            lane.submit(id, ());
            let answer = rx.recv_timeout(Duration::from_secs(10)).expect("an answer");
            assert_eq!(answer, id);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
