//! Section H: reads without the log (issue 14). A leader that answers reads without a log
//! entry must know it still leads: by a round of acknowledgements (ReadIndex) or by a lease,
//! which holds only while the clocks stay within the drift the lease assumes. Each story cuts
//! a leader off while a client keeps reading from it and the majority elects another leader
//! and writes, or races reads against leader changes, and ends with the linearizability check.
//!
//! The stories assert what any correct service must do (no stale read, progress after the
//! heal), so a KV that sends every read through the log passes them too; whether the
//! reference served reads from its lease is asserted by `scenarios/tests/leases.rs`.
use std::time::Duration;

use kv::{KvService, Op, ReadPath};
use raft::Consensus;
use sim::ClockConfig;

use crate::cluster::{Cluster, Setup};
use crate::failure::{Check, Failure};
use crate::kv::{Generic, Plan};
use crate::scenario::Scenario;

/// Clocks far worse than any real oscillator (±40%): the lease's margin is then most of it,
/// and a lease without the margin outlives its voters' promise by a wide window.
pub const LEASE_DRIFT_PPM: u32 = 400_000;

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("reads.deposed_leader_minority")
            .summary("a leader cut into a minority with a reading client while the majority elects and writes: no stale read (ReadIndex)")
            .on(|| Setup::kv(5).reads(ReadPath::ReadIndex))
            .story(deposed_leader),
        Scenario::named("reads.lease_drift_within_margin")
            .summary("lease reads on clocks drifting up to 40%, the lease assuming as much: the cut-off leader stops serving before a new one can exist")
            .on(drifting_lease)
            .story(deposed_leader),
        Scenario::named("reads.lease_clock_jumps")
            .summary("lease reads, 5 clients, partitions, clocks drifting 5% and stepping up to 30 ms either way about every second")
            .on(|| {
                let clocks = ClockConfig::drift(50_000)
                    .with_wander(10_000, Duration::from_millis(200))
                    .with_jumps(Duration::from_secs(1), Duration::from_millis(30));
                Setup::kv(5).reads(ReadPath::Lease).clocks(clocks)
            })
            .story(lease_clock_jumps),
        Scenario::named("reads.racing_leader_change")
            .summary("5 clients on 3 keys while the leader is cut off or crashed every 0.6-0.9 s: reads racing each leader change (ReadIndex)")
            .on(|| Setup::kv(5).reads(ReadPath::ReadIndex))
            .story(racing_leader_change),
    ]
}

/// Three servers serving reads by lease on clocks drifting up to [`LEASE_DRIFT_PPM`], with a
/// wander of half that every 300 ms, so each cut meets other clock rates.
fn drifting_lease() -> Setup {
    let clocks = ClockConfig::drift(LEASE_DRIFT_PPM)
        .with_wander(LEASE_DRIFT_PPM / 2, Duration::from_millis(300));
    Setup::kv(3).reads(ReadPath::Lease).clocks(clocks)
}

/// Not in the catalog, because it must fail: the story of `reads.lease_drift_within_margin`
/// with a lease that assumes clocks drift at most 1% while they drift 40%, a misconfigured
/// cluster. Some seeds show a deposed leader serving a read after a newer write completed.
pub fn lease_beyond_margin<R: Consensus, K: KvService>() -> Scenario<R, K> {
    deposed_leader_on("reads.lease_beyond_margin", || drifting_lease().lease_assumes(10_000))
}

/// The deposed-leader story on another cluster, for tests that vary the clocks or the lease.
pub fn deposed_leader_on<R: Consensus, K: KvService>(
    name: &'static str,
    setup: fn() -> Setup,
) -> Scenario<R, K> {
    Scenario::named(name)
        .summary("a reader at a leader that is cut off while the majority elects and writes")
        .on(setup)
        .story(deposed_leader)
}

/// Twelve times: a reader connected only to the leader keeps reading one key while the
/// leader (with a minority) is cut off and a writer on the majority keeps overwriting the key.
/// A read the old leader answers after a newer write completed is stale, and the final check
/// finds it.
fn deposed_leader<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let writer = t.add_clerk(Plan::Manual);
    let reader = t.add_clerk(Plan::Manual);
    let long = Duration::from_secs(10);
    let key = "x";
    let mut written = 0u64;
    t.run_op(writer, Op::Put { key: key.into(), value: written.to_string() }, long)?;
    let servers = t.servers().to_vec();
    for round in 0..12 {
        t.sleep(Duration::from_millis(300))?; // a leader is settled, not elected this instant
        let leader = t.leader().ok_or_else(|| Failure::liveness("no leader before the cut"))?;
        let mut minority = vec![leader];
        minority
            .extend(servers.iter().copied().filter(|s| *s != leader).take(servers.len() / 2 - 1));
        let majority: Vec<_> = servers.iter().copied().filter(|s| !minority.contains(s)).collect();
        t.connect_clerk_to(reader, &[leader]);
        t.connect_clerk_to(writer, &majority);
        // Reads at the leader before the cut: a lease, if the service keeps one, is fresh.
        let until = t.now() + Duration::from_millis(300);
        keep_busy(t, reader, None, key, &mut written, until)?;
        t.note(format!("round {round}: cut leader {leader} off with {minority:?}"));
        t.partition(&[minority, majority.clone()]);
        let cut = t.now();
        // 1.5 s of traffic, longer if the majority has not yet committed a write (elections
        // on clocks this slow can take a second or two).
        let mut writes = 0;
        for until in [1500, 3000, 4500, 6000] {
            keep_busy(
                t,
                reader,
                Some(writer),
                key,
                &mut written,
                cut + Duration::from_millis(until),
            )?;
            let writer_client = t.clerk(writer).client;
            writes = t
                .kv_history()
                .records()
                .iter()
                .filter(|r| r.client == writer_client && r.call >= cut && r.ret.is_some())
                .count();
            if writes > 0 {
                break;
            }
        }
        t.goal(writes > 0, "the majority elected a leader and committed writes after the cut")?;
        t.heal();
        t.wait_clients(long)?;
    }
    t.check_get(writer, key, &written.to_string())?;
    t.check_linearizable()
}

/// Until `until`: the reader reads `key` whenever idle, and the writer (if any) puts the next
/// number whenever idle. Polls every millisecond, so a read follows a completed write at once.
fn keep_busy<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    reader: usize,
    writer: Option<usize>,
    key: &str,
    written: &mut u64,
    until: sim::SimTime,
) -> Check {
    while t.now() < until {
        if !t.clerk_busy(reader) {
            t.start_op(reader, Op::Get { key: key.into() })?;
        }
        if let Some(writer) = writer.filter(|w| !t.clerk_busy(*w)) {
            *written += 1;
            t.start_op(writer, Op::Put { key: key.into(), value: written.to_string() })?;
        }
        let step = (t.now() + Duration::from_millis(1)).min(until);
        t.run_until(step)?;
    }
    Ok(())
}

/// GenericTest with partitions on random keys, on stepping clocks: the goal proves the
/// servers' clocks did jump while the leases were in use.
fn lease_clock_jumps<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let servers = t.servers().to_vec();
    Generic::new(5).partitions().random_keys().run(t)?;
    let jumps: u64 = t
        .sim()
        .clock_report()
        .iter()
        .filter(|clock| servers.contains(&clock.node))
        .map(|clock| clock.jumps)
        .sum();
    t.goal(jumps > 0, "the servers' clocks stepped during the run")
}

/// Clients on three keys (so reads often follow another client's write) while the current
/// leader is cut off or crashed, eight times, each for long enough that another is elected.
fn racing_leader_change<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    for _ in 0..5 {
        t.add_clerk(Plan::RandomKeys { keys: 3 });
    }
    t.start_clients()?;
    t.sleep(Duration::from_millis(500))?;
    let mut changes = 0;
    for k in 0..8 {
        let Some(leader) = t.leader() else {
            t.sleep(Duration::from_millis(300))?;
            continue;
        };
        let crash = k % 2 == 1;
        t.note(format!("{} leader {leader}", if crash { "crash" } else { "cut off" }));
        if crash {
            t.crash(leader);
        } else {
            t.disconnect(leader);
        }
        let gone = t.random_duration(Duration::from_millis(600), Duration::from_millis(900));
        t.sleep(gone)?;
        changes += usize::from(t.leader().is_some_and(|now| now != leader));
        t.revive(leader)?; // restarts it if crashed, and connects it

        t.sleep(Duration::from_millis(200))?;
    }
    t.stop_clients();
    t.wait_clients(Duration::from_secs(30))?;
    t.goal(changes > 0, "another leader was elected while the old one was gone")?;
    let ops: u64 = (0..5).map(|k| t.clerk(k).completed).sum();
    t.goal(ops > 0, "the clients completed operations")?;
    t.check_linearizable()
}
