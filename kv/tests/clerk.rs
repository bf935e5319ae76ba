//! The clerk's retry logic, effect by effect: where it sends, when it rotates, what it ignores.

use std::time::Duration;

use kv::{Clerk, ClerkBusy, ClerkEffect, ClientId, KvError, Op, Reply, Request, Seq};
use raft::NodeId;

const RETRY: Duration = Duration::from_millis(100);

fn clerk() -> Clerk {
    Clerk::new(ClientId(7), vec![NodeId(1), NodeId(2), NodeId(3)])
}

fn append(value: &str) -> Op {
    Op::Append { key: "k".into(), value: value.into() }
}

fn send(to: u64, seq: u64, op: &Op) -> ClerkEffect {
    ClerkEffect::Send {
        to: NodeId(to),
        request: Request {
            client: ClientId(7),
            seq: Seq(seq),
            op: op.clone(),
            session_index: None,
        },
    }
}

fn timer() -> ClerkEffect {
    ClerkEffect::StartTimer { after: RETRY }
}

fn reply(seq: u64, result: Result<&str, KvError>) -> Reply {
    let result = result.map(str::to_owned);
    Reply { client: ClientId(7), seq: Seq(seq), result, applied_index: None }
}

#[test]
fn an_operation_goes_to_the_first_server_and_completes_on_ok() {
    let mut clerk = clerk();
    let op = append("a");
    assert_eq!(clerk.start(op.clone()).unwrap(), vec![send(1, 1, &op), timer()]);
    assert_eq!(clerk.outstanding(), Some((Seq(1), &op)));
    assert_eq!(
        clerk.on_reply(NodeId(1), reply(1, Ok(""))),
        vec![
            ClerkEffect::CancelTimer,
            ClerkEffect::Completed { seq: Seq(1), op, value: "".into() }
        ]
    );
    assert_eq!(clerk.outstanding(), None);
    assert_eq!(send(1, 1, &append("a")).to_string(), r#"send n1 c7#1 Append "k" "a""#);
    assert_eq!(timer().to_string(), "timer 100ms");
    let completed =
        ClerkEffect::Completed { seq: Seq(2), op: Op::Get { key: "k".into() }, value: "v".into() };
    assert_eq!(completed.to_string(), r#"completed #2 Get "k" -> "v""#);
    // The answer came: the clerk is idle and a late timer does nothing.
    assert_eq!(clerk.on_timeout(), vec![]);
}

#[test]
fn wrong_leader_and_timeouts_rotate_through_the_servers() {
    let mut clerk = clerk();
    let op = Op::Get { key: "k".into() };
    clerk.start(op.clone()).unwrap();
    assert_eq!(
        clerk.on_reply(NodeId(1), reply(1, Err(KvError::WrongLeader))),
        vec![send(2, 1, &op), timer()]
    );
    assert_eq!(clerk.on_timeout(), vec![send(3, 1, &op), timer()]);
    // Past the last server it wraps around.
    assert_eq!(
        clerk.on_reply(NodeId(3), reply(1, Err(KvError::Timeout))),
        vec![send(1, 1, &op), timer()]
    );
    assert_eq!(clerk.on_unreachable(NodeId(1)), vec![send(2, 1, &op), timer()]);
    assert_eq!(clerk.on_reply(NodeId(2), reply(1, Ok("v"))).len(), 2);
}

#[test]
fn the_clerk_remembers_who_answered() {
    let mut clerk = clerk();
    clerk.start(append("a")).unwrap();
    clerk.on_timeout();
    clerk.on_reply(NodeId(2), reply(1, Ok("")));
    assert_eq!(clerk.presumed_leader(), Some(NodeId(2)));
    let op = append("b");
    // The next operation starts at server 2, with the next sequence number.
    assert_eq!(clerk.start(op.clone()).unwrap(), vec![send(2, 2, &op), timer()]);
}

#[test]
fn a_success_from_a_server_tried_earlier_still_completes() {
    let mut clerk = clerk();
    let op = append("a");
    clerk.start(op.clone()).unwrap();
    clerk.on_timeout();
    // Server 1 was slow, not wrong: its late answer is the operation's result.
    let effects = clerk.on_reply(NodeId(1), reply(1, Ok("")));
    assert_eq!(effects[1], ClerkEffect::Completed { seq: Seq(1), op, value: "".into() });
    assert_eq!(clerk.presumed_leader(), Some(NodeId(1)));
}

#[test]
fn stale_and_foreign_replies_are_ignored() {
    let mut clerk = clerk();
    clerk.start(append("a")).unwrap();
    clerk.on_reply(NodeId(1), reply(1, Ok("")));
    clerk.start(append("b")).unwrap();
    // A duplicate answer to seq 1, another client's answer, an error from a server the clerk
    // already left, and a failed delivery to a server it is not trying.
    assert_eq!(clerk.on_reply(NodeId(1), reply(1, Ok(""))), vec![]);
    let foreign = Reply { client: ClientId(8), ..reply(2, Ok("")) };
    assert_eq!(clerk.on_reply(NodeId(1), foreign), vec![]);
    clerk.on_timeout();
    assert_eq!(clerk.on_reply(NodeId(1), reply(2, Err(KvError::WrongLeader))), vec![]);
    assert_eq!(clerk.on_unreachable(NodeId(3)), vec![]);
    assert_eq!(clerk.outstanding().map(|(seq, _)| seq), Some(Seq(2)));
}

#[test]
fn one_operation_at_a_time() {
    let mut clerk = clerk();
    clerk.start(append("a")).unwrap();
    assert_eq!(clerk.start(append("b")), Err(ClerkBusy { client: ClientId(7), seq: Seq(1) }));
    let slow = Clerk::new(ClientId(1), vec![NodeId(1)]).with_retry_after(Duration::from_secs(1));
    let mut slow = slow;
    let effects = slow.start(append("a")).unwrap();
    assert_eq!(effects[1], ClerkEffect::StartTimer { after: Duration::from_secs(1) });
    // With a single server, rotation comes back to it.
    assert_eq!(
        slow.on_timeout()[0],
        ClerkEffect::Send {
            to: NodeId(1),
            request: Request {
                client: ClientId(1),
                seq: Seq(1),
                op: append("a"),
                session_index: None
            },
        }
    );
}
