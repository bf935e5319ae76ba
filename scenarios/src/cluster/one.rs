//! `one(cmd, expected_servers, retry)`: submit a command to whichever server leads and wait
//! for it to be applied by enough servers: 10 s in all, 2 s per attempt (config.go). As a
//! state machine, so scenarios can run several at once in one single-threaded world.
use std::time::Duration;

use kv::KvService;
use raft::{Command, Consensus, LogIndex};
use sim::SimTime;

use super::core::Cluster;
use crate::failure::{Check, Failure};
use crate::labels::label;

const TOTAL: Duration = Duration::from_secs(10);
const PER_ATTEMPT: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(20);
const NO_LEADER_PAUSE: Duration = Duration::from_millis(50);

/// One pending `one()` call.
#[derive(Clone, Debug)]
pub struct OneCall {
    command: Command,
    expected: usize,
    retry: bool,
    began: SimTime,
    attempt: Option<(LogIndex, SimTime)>,
    /// When the call wants to be polled again.
    pub next_poll: SimTime,
}

impl OneCall {
    pub fn new(now: SimTime, command: Command, expected: usize, retry: bool) -> OneCall {
        OneCall { command, expected, retry, began: now, attempt: None, next_poll: now }
    }

    /// Advances the call at the current time: `Some(index)` once enough servers applied it.
    pub fn poll<R: Consensus, K: KvService>(
        &mut self,
        t: &mut Cluster<R, K>,
    ) -> Check<Option<LogIndex>> {
        let now = t.now();
        if now < self.next_poll {
            return Ok(None);
        }
        if now - self.began >= TOTAL {
            return Err(self.failed("within 10 s"));
        }
        if let Some((index, since)) = self.attempt {
            if now - since < PER_ATTEMPT {
                let (count, command) = t.n_committed(index);
                if count > 0 && count >= self.expected && command.as_ref() == Some(&self.command) {
                    return Ok(Some(index));
                }
                self.next_poll = now + POLL;
                return Ok(None);
            }
            if !self.retry {
                return Err(self.failed("within 2 s, without retry"));
            }
            self.attempt = None;
        }
        self.attempt = self.submit(t)?.map(|index| (index, now));
        if self.attempt.is_some() {
            self.next_poll = now;
            return self.poll_committed(t);
        }
        self.next_poll = now + NO_LEADER_PAUSE;
        Ok(None)
    }

    /// Right after a submission: done already (a one-node majority) or poll again later.
    fn poll_committed<R: Consensus, K: KvService>(
        &mut self,
        t: &mut Cluster<R, K>,
    ) -> Check<Option<LogIndex>> {
        let (index, _) = self.attempt.expect("just submitted");
        let (count, command) = t.n_committed(index);
        if count > 0 && count >= self.expected && command.as_ref() == Some(&self.command) {
            return Ok(Some(index));
        }
        self.next_poll = t.now() + POLL;
        Ok(None)
    }

    /// Tries every connected live server once, round robin, until one accepts.
    fn submit<R: Consensus, K: KvService>(
        &mut self,
        t: &mut Cluster<R, K>,
    ) -> Check<Option<LogIndex>> {
        for _ in 0..t.servers.len() {
            t.starts = (t.starts + 1) % t.servers.len();
            let id = t.servers[t.starts];
            if !t.is_up(id) {
                continue;
            }
            if let Some((index, _)) = t.start(id, self.command.clone())? {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }

    fn failed(&self, how: &str) -> Failure {
        Failure::liveness(format!(
            "one({}) failed to reach agreement on {} servers {how}",
            label(&self.command),
            self.expected
        ))
    }
}

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// one(cmd, expected_servers, retry): returns the index the command was applied at.
    pub fn one(&mut self, command: Command, expected: usize, retry: bool) -> Check<LogIndex> {
        let mut call = OneCall::new(self.now(), command, expected, retry);
        loop {
            if let Some(index) = call.poll(self)? {
                return Ok(index);
            }
            self.run_until(call.next_poll)?;
        }
    }

    /// Several `one()` calls at once, as the lab's goroutines; returns their indices in order.
    pub fn one_concurrently(&mut self, calls: Vec<OneCall>) -> Check<Vec<LogIndex>> {
        let mut pending: Vec<(usize, OneCall)> = calls.into_iter().enumerate().collect();
        let mut done = vec![LogIndex::ZERO; pending.len()];
        while !pending.is_empty() {
            let mut still = Vec::with_capacity(pending.len());
            for (k, mut call) in pending {
                match call.poll(self)? {
                    Some(index) => done[k] = index,
                    None => still.push((k, call)),
                }
            }
            pending = still;
            if let Some(next) = pending.iter().map(|(_, c)| c.next_poll).min() {
                self.run_until(next.max(self.now()))?;
            }
        }
        Ok(done)
    }
}

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// `one()` while other calls keep going in the background (the lab's goroutines that are
    /// only waited for later); background calls that finish are removed from the pool.
    pub fn one_with_background(
        &mut self,
        command: Command,
        expected: usize,
        retry: bool,
        background: &mut Vec<OneCall>,
    ) -> Check<LogIndex> {
        let mut main = OneCall::new(self.now(), command, expected, retry);
        loop {
            if let Some(index) = main.poll(self)? {
                return Ok(index);
            }
            let mut still = Vec::with_capacity(background.len());
            for mut call in background.drain(..) {
                if call.poll(self)?.is_none() {
                    still.push(call);
                }
            }
            *background = still;
            let next = background.iter().map(|c| c.next_poll).fold(main.next_poll, SimTime::min);
            self.run_until(next.max(self.now()))?;
        }
    }
}
