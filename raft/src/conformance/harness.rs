//! The host of one node under test: it drives any `Consensus` through its inputs only, carries
//! out every `Ready` as a real host would (persist into a durable copy, then send, then apply),
//! and on every `Ready` checks what any rule's check relies on: nothing is sent that depends on
//! state not yet on stable storage (a term, a vote, acknowledged entries), committed entries
//! come in order and once, and `Status` agrees with what was handed out. So every check also
//! catches persistence and apply mistakes on its way, and names the rule for them.

use crate::config::Config;
use crate::consensus::{Consensus, Role, Status};
use crate::message::{Body, Message};
use crate::persist::PersistedState;
use crate::ready::Ready;
use crate::types::{Command, Entry, LogIndex, NodeId, Term};

use super::check::{Setup, Violation};
use super::rules;

/// One node under test and everything its host keeps for it.
pub(crate) struct Node<'s, C> {
    setup: &'s Setup,
    config: Config,
    inner: C,
    /// What the host has persisted of the node's `Ready`s: all a restart gets.
    durable: PersistedState,
    /// The last entry handed to the service (or the index of the last snapshot it loaded).
    applied: LogIndex,
}

impl<'s, C: Consensus> Node<'s, C> {
    /// Server `me` of `size` servers, started from `persisted`.
    pub(crate) fn start(setup: &'s Setup, me: u64, size: u64, persisted: PersistedState) -> Self {
        let config = setup.config(me, size);
        setup.note(format!("start n{me} of {size} servers from {}", describe(&persisted)));
        let inner = C::restart(config.clone(), &persisted);
        Node { setup, config, inner, durable: persisted, applied: LogIndex::ZERO }
    }

    /// A crash and a restart: the node keeps exactly what its host persisted.
    pub(crate) fn restart(&mut self) {
        self.setup.note(format!("crash; restart {} from {}", self.id(), describe(&self.durable)));
        self.inner = C::restart(self.config.clone(), &self.durable);
        self.applied = LogIndex::ZERO;
    }

    pub(crate) fn id(&self) -> NodeId {
        self.config.id
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn durable(&self) -> &PersistedState {
        &self.durable
    }

    pub(crate) fn status(&self) -> Status {
        self.inner.status()
    }

    pub(crate) fn log_term(&self, index: u64) -> Option<Term> {
        self.inner.log_term(LogIndex(index))
    }

    /// Delivers `message`, then carries out the `Ready` that follows.
    pub(crate) fn step(&mut self, message: Message) -> Result<Ready, Violation> {
        self.setup.note(format!("deliver {message}"));
        self.inner.step(message.clone());
        let ready = self.ready()?;
        self.check_acknowledged(&message, &ready)?;
        Ok(ready)
    }

    /// One tick, then the `Ready` that follows.
    pub(crate) fn tick(&mut self) -> Result<Ready, Violation> {
        self.setup.note_tick();
        self.inner.tick();
        self.ready()
    }

    /// `n` ticks; the messages sent meanwhile.
    pub(crate) fn ticks(&mut self, n: u32) -> Result<Vec<Message>, Violation> {
        let mut sent = Vec::new();
        for _ in 0..n {
            sent.extend(self.tick()?.messages);
        }
        Ok(sent)
    }

    pub(crate) fn propose(&mut self, command: &str) -> Option<(LogIndex, Term)> {
        let outcome = self.inner.propose(Command::from(command)).ok();
        self.setup.note(format!("propose {command:?}: {outcome:?}"));
        outcome
    }

    /// Ticks until the node starts an election (or, alone, wins one), within a generous
    /// bound; the messages of the `Ready` that started it. The timeout's own bounds are
    /// checked by `elections.rs`.
    pub(crate) fn time_out(&mut self) -> Result<Vec<Message>, Violation> {
        let start = self.status().current_term;
        for _ in 0..4 * self.config.election_ticks_max {
            let ready = self.tick()?;
            let status = self.status();
            if status.current_term > start && status.role != Role::Follower {
                return Ok(ready.messages);
            }
        }
        Err(Violation::new(
            rules::FOLLOWER_TIMEOUT,
            format!(
                "{} heard from nobody for {} ticks and did not become a candidate",
                self.id(),
                4 * self.config.election_ticks_max
            ),
        ))
    }

    /// Times out and collects a vote from every other server: the node leads the next term.
    pub(crate) fn win_election(&mut self) -> Result<Vec<Message>, Violation> {
        let mut sent = self.time_out()?;
        let term = self.status().current_term.0;
        for peer in self.config.others() {
            if self.status().role == Role::Leader {
                break;
            }
            sent.extend(
                self.step(super::rpc::vote_reply(peer.0, self.id().0, term, true))?.messages,
            );
        }
        let status = self.status();
        if status.role != Role::Leader || status.current_term != Term(term) {
            return Err(Violation::new(
                rules::WIN_ELECTION,
                format!(
                    "{} campaigned in term {term} and got every server's vote, but it is {} in \
                     term {}",
                    self.id(),
                    status.role,
                    status.current_term
                ),
            ));
        }
        Ok(sent)
    }

    /// Collects the node's effects and carries them out, checking them on the way.
    pub(crate) fn ready(&mut self) -> Result<Ready, Violation> {
        let ready = self.inner.ready();
        self.write_down(&ready);
        if let Err(e) = self.durable.apply(&ready) {
            let what = format!("{}'s Ready cannot be persisted: {e}", self.id());
            return Err(Violation::new(rules::READY_CONTRACT, what));
        }
        for message in &ready.messages {
            self.check_persisted_before(message)?;
        }
        self.check_applied(&ready)?;
        self.check_status()?;
        Ok(ready)
    }

    /// A message leaves only once the term it carries, and the vote it grants or asks for,
    /// are on stable storage.
    fn check_persisted_before(&self, message: &Message) -> Result<(), Violation> {
        let hard = self.durable.hard_state;
        let fail = |what: String| {
            Err(Violation::new(
                rules::PERSIST_BEFORE_REPLY,
                format!("{} sent `{message}`, {what}", self.id()),
            ))
        };
        if message.term > hard.current_term {
            return fail(format!(
                "but its stable storage holds term {} (a crash now forgets term {})",
                hard.current_term, message.term
            ));
        }
        let voted = match message.body {
            Body::RequestVoteReply { vote_granted: true } => Some(message.to),
            Body::RequestVote { .. } => Some(self.id()),
            _ => None,
        };
        match voted {
            Some(candidate)
                if hard.current_term != message.term || hard.voted_for != Some(candidate) =>
            {
                fail(format!(
                    "but its stable storage says term {}, voted for {} (a crash now lets it \
                     vote again in term {})",
                    hard.current_term,
                    hard.voted_for.map_or("nobody".to_string(), |v| v.to_string()),
                    message.term
                ))
            }
            _ => Ok(()),
        }
    }

    /// A success reply to AppendEntries acknowledges its entries: they must be durable.
    fn check_acknowledged(&self, request: &Message, ready: &Ready) -> Result<(), Violation> {
        let Body::AppendEntries { entries, .. } = &request.body else { return Ok(()) };
        let acknowledged = ready.messages.iter().any(|m| {
            m.to == request.from && matches!(m.body, Body::AppendEntriesReply { success: true, .. })
        });
        if !acknowledged {
            return Ok(());
        }
        for entry in entries {
            if !self.durably_holds(entry) {
                return Err(Violation::new(
                    rules::PERSIST_BEFORE_REPLY,
                    format!(
                        "{} acknowledged entry {entry} to {}, but its stable storage does not \
                         hold it",
                        self.id(),
                        request.from
                    ),
                ));
            }
        }
        Ok(())
    }

    fn durably_holds(&self, entry: &Entry) -> bool {
        entry.index <= self.durable.snapshot_index()
            || self.durable.log.iter().any(|e| e.index == entry.index && e.term == entry.term)
    }

    /// Committed entries continue from what was applied, one by one; a snapshot never moves
    /// the service back.
    fn check_applied(&mut self, ready: &Ready) -> Result<(), Violation> {
        if let Some(snapshot) = &ready.snapshot_to_apply {
            if snapshot.last_included_index < self.applied {
                return Err(Violation::new(
                    rules::SNAPSHOT_NO_ROLLBACK,
                    format!(
                        "{} handed the service a snapshot through {} after it had applied \
                         through {}",
                        self.id(),
                        snapshot.last_included_index,
                        self.applied
                    ),
                ));
            }
            self.applied = snapshot.last_included_index;
        }
        for entry in &ready.committed_entries {
            if entry.index != self.applied.next() {
                return Err(Violation::new(
                    rules::APPLY_IN_ORDER,
                    format!(
                        "{} handed out committed entry {entry} when the service had applied \
                         through {}: the next must be index {}",
                        self.id(),
                        self.applied,
                        self.applied.next()
                    ),
                ));
            }
            self.applied = entry.index;
        }
        Ok(())
    }

    /// `Status` tells the truth about what was applied, and keeps its documented order.
    fn check_status(&self) -> Result<(), Violation> {
        let s = self.status();
        if s.last_applied != self.applied {
            let what = format!(
                "{}'s status says last_applied = {}, but the entries and snapshots it handed \
                 out reach {}",
                self.id(),
                s.last_applied,
                self.applied
            );
            return Err(Violation::new(rules::APPLY_IN_ORDER, what));
        }
        let ordered = s.snapshot_index <= s.last_applied
            && s.last_applied <= s.commit_index
            && s.commit_index <= s.last_log_index;
        if !ordered {
            let what = format!(
                "{}'s status breaks snapshot_index {} <= last_applied {} <= commit_index {} <= \
                 last_log_index {}",
                self.id(),
                s.snapshot_index,
                s.last_applied,
                s.commit_index,
                s.last_log_index
            );
            return Err(Violation::new(rules::READY_CONTRACT, what));
        }
        Ok(())
    }

    /// The transcript's lines for one `Ready`, in the order the host carries it out.
    fn write_down(&self, ready: &Ready) {
        let me = self.id();
        if let Some(hard) = ready.hard_state {
            let vote = hard.voted_for.map_or("nobody".to_string(), |v| v.to_string());
            self.setup.note(format!("{me} persists term {}, voted for {vote}", hard.current_term));
        }
        if let Some(s) = &ready.snapshot {
            let at = format!("{}/{}", s.last_included_term, s.last_included_index);
            self.setup.note(format!("{me} persists snapshot {at}"));
        }
        if !ready.entries.is_empty() {
            self.setup.note(format!("{me} persists entries {}", span(&ready.entries)));
        }
        for message in &ready.messages {
            self.setup.note(format!("send {message}"));
        }
        if let Some(s) = &ready.snapshot_to_apply {
            let at = format!("{}/{}", s.last_included_term, s.last_included_index);
            self.setup.note(format!("{me} applies snapshot {at}"));
        }
        if !ready.committed_entries.is_empty() {
            self.setup.note(format!("{me} applies {}", span(&ready.committed_entries)));
        }
    }
}

/// `1/3..2/5`, the traces' notation for a run of entries.
fn span(entries: &[Entry]) -> String {
    match entries {
        [] => "[]".to_string(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}..{last}"),
    }
}

fn describe(state: &PersistedState) -> String {
    let hard = state.hard_state;
    let vote = hard.voted_for.map_or("nobody".to_string(), |v| v.to_string());
    let snapshot = state.snapshot.as_ref().map_or(String::new(), |s| {
        format!(", snapshot {}/{}", s.last_included_term, s.last_included_index)
    });
    let terms: Vec<String> = state.log.iter().map(ToString::to_string).collect();
    format!("term {}, voted for {vote}{snapshot}, log [{}]", hard.current_term, terms.join(" "))
}
