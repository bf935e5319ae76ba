//! `Lease`: what a leader lease assumes about clocks, and the lease length that follows from
//! it (§6.4.1 of the Raft dissertation). Pure arithmetic on ticks; the rules that grant and
//! honour leases live in `lease_reads.rs`.

/// Leader leases: with one configured, a leader answers reads without a round of messages
/// while a majority acknowledged it recently enough, and every server refuses to vote
/// within the minimum election timeout of hearing from a leader.
///
/// A lease is only as safe as its clock assumptions: a leader measures it on its own clock,
/// the voters who promised not to elect anyone else measure their promise on theirs. If the
/// clocks drift apart by more than `max_drift_ppm`, or jump by more than `max_step_ticks`, a
/// new leader may commit writes while the old one still serves reads from its lease.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Lease {
    /// The largest rate error of any server's clock, in parts per million (`|rate - 1|`).
    pub max_drift_ppm: u32,
    /// The largest step jump of a clock, in ticks (rounded up), at most one per server within
    /// any lease.
    pub max_step_ticks: u32,
}

const MILLION: u64 = 1_000_000;

impl Lease {
    /// A lease for clocks that drift by at most `max_drift_ppm` and never jump.
    pub fn drift(max_drift_ppm: u32) -> Lease {
        Lease { max_drift_ppm, max_step_ticks: 0 }
    }

    /// The lease in ticks of the leader's clock, counted from the send of the round a majority
    /// acknowledged; 0 means leases never hold (every read takes a round).
    ///
    /// A voter that acknowledged the round at true time `r` (after the send at `s`) ignores
    /// RequestVote until its own clock has counted `election_ticks_min` ticks, which takes at
    /// least `(election_ticks_min - 1)` tick periods of its clock (the first tick may come at
    /// once): true time `(T - 1) p / (1 + d)`, less a forward jump `J`. The leader serves from
    /// the lease while its tick count is below `start + lease`: up to `lease * p / (1 - d)`
    /// of true time after the send, plus a backward jump `J`. So the lease holds while
    /// `lease <= (1 - d) ((T - 1) / (1 + d) - 2 J / p)`; one more tick is taken off for the
    /// rounding. With perfect clocks that is `T - 2`.
    pub fn ticks(&self, election_ticks_min: u32) -> u32 {
        let ppm = u64::from(self.max_drift_ppm).min(MILLION - 1);
        let t = u64::from(election_ticks_min.saturating_sub(1));
        let steps = 2 * u64::from(self.max_step_ticks);
        // In millionths of a tick: (T - 1) / (1 + d) - 2 J / p.
        let Some(room) = (t * MILLION * MILLION / (MILLION + ppm)).checked_sub(steps * MILLION)
        else {
            return 0;
        };
        let lease = room * (MILLION - ppm) / (MILLION * MILLION);
        u32::try_from(lease.saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The lease a node without the drift margin takes (the `lease_without_drift_margin`
    /// mutant): right only for perfect clocks.
    pub fn ticks_without_margin(election_ticks_min: u32) -> u32 {
        Lease::default().ticks(election_ticks_min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_clocks_give_the_minimum_election_timeout_less_two_ticks() {
        assert_eq!(Lease::drift(0).ticks(30), 28);
        assert_eq!(Lease::ticks_without_margin(30), 28);
    }

    #[test]
    fn drift_and_steps_shorten_the_lease() {
        // (1 - 0.2) * 29 / 1.2 = 19.33 -> 19, less one.
        assert_eq!(Lease::drift(200_000).ticks(30), 18);
        // 5% drift, steps of 2 ticks: 0.95 * (29 / 1.05 - 4) = 22.44 -> 22, less one.
        assert_eq!(Lease { max_drift_ppm: 50_000, max_step_ticks: 2 }.ticks(30), 21);
        // No room left: leases never hold.
        assert_eq!(Lease { max_drift_ppm: 0, max_step_ticks: 20 }.ticks(30), 0);
        assert_eq!(Lease::drift(u32::MAX).ticks(30), 0);
        assert_eq!(Lease::drift(0).ticks(0), 0);
    }

    #[test]
    fn a_lease_never_outlasts_the_voters_promise() {
        for t in 2..80u32 {
            for ppm in (0..=500_000).step_by(25_000) {
                for steps in 0..4 {
                    let lease = Lease { max_drift_ppm: ppm, max_step_ticks: steps };
                    let d = f64::from(ppm) / 1e6;
                    let leader_worst = f64::from(lease.ticks(t)) / (1.0 - d) + f64::from(steps);
                    let voter_least = f64::from(t - 1) / (1.0 + d) - f64::from(steps);
                    assert!(
                        lease.ticks(t) == 0 || leader_worst <= voter_least + 1e-9,
                        "T={t} ppm={ppm} steps={steps}: lease {} outlasts the promise",
                        lease.ticks(t)
                    );
                }
            }
        }
    }
}
