//! Writes run records off the request path: executes hand their record to a
//! background task that inserts them in batches, one transaction per batch.
//! Readers call `flush()` first, so a run is visible as soon as its response is.

use tokio::sync::{mpsc, oneshot};

use crate::db::{Database, RunRecord};

/// Records buffered before `record` waits (backpressure instead of unbounded memory).
const QUEUE: usize = 8192;
/// Most records written in one transaction.
const BATCH: usize = 512;

enum Job {
    Record(RunRecord),
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct RunRecorder {
    jobs: mpsc::Sender<Job>,
}

impl RunRecorder {
    /// Starts the writer task.
    pub fn start(db: Database) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(db, queue));
        Self { jobs }
    }

    pub async fn record(&self, run: RunRecord) {
        if self.jobs.send(Job::Record(run)).await.is_err() {
            tracing::error!("run recorder stopped; a run record was lost");
        }
    }

    /// Waits until every record sent before this call is in the database.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.jobs.send(Job::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write_batches(db: Database, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut jobs, BATCH).await > 0 {
        let mut records = Vec::with_capacity(jobs.len());
        let mut waiting = Vec::new();
        for job in jobs.drain(..) {
            match job {
                Job::Record(run) => records.push(run),
                Job::Flush(done) => waiting.push(done),
            }
        }
        if !records.is_empty() {
            write(&db, &records).await;
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// Writes a batch; if the batch fails, each record alone, so one bad record
/// cannot cost the others theirs.
async fn write(db: &Database, records: &[RunRecord]) {
    if db.insert_runs(records).await.is_ok() {
        return;
    }
    for record in records {
        if let Err(error) = db.insert_runs(std::slice::from_ref(record)).await {
            tracing::error!(%error, run_id = %record.id, "could not record a run");
        }
    }
}
