//! The macros that turn a student's crate into the graded suite: one line,
//! `scenarios::raft_tests!(MyRaft);` or `scenarios::kv_tests!(MyKvServer);`, generates one
//! `#[test]` per scenario, named by part (see `parts`), each running the scenario over the
//! seeds of `TENREC_SEED`/`TENREC_SEEDS` against the student's code.
//!
//! A macro cannot read the catalog, so the list of (test, scenario) pairs is written here, once
//! for all students (for the Raft lab, with the conformance checks as `conformance.<check>`); the generated `lab_covers_the_{raft,kv}_catalog` test fails, naming what to
//! add, if this list and the catalog ever disagree.

/// One `#[test]` per (test name, scenario) pair, for Raft `$raft` and KV service `$kv`, and
/// the test that the pairs cover their half of the catalog. Not for direct use.
#[doc(hidden)]
#[macro_export]
macro_rules! __lab_tests {
    ($raft:ty, $kv:ty, $kind:literal, $coverage:ident, $($test:ident => $scenario:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                $crate::lab::run_test::<$raft, $kv>($scenario, stringify!($test));
            }
        )*

        #[test]
        fn $coverage() {
            $crate::lab::check_coverage::<$raft, $kv>($kind, &[$((stringify!($test), $scenario)),*]);
        }
    };
}

/// The Raft lab's tests (parts 3A-3D and 3X) for `$raft`, an implementation of
/// `raft::Consensus`: `scenarios::raft_tests!(MyRaft);` in a test file. Besides the scenarios,
/// the conformance checks of Figure 2's rules (`conformance.*`, see `lab::conformance`), each
/// in the part its rule belongs to.
#[macro_export]
macro_rules! raft_tests {
    ($raft:ty) => {
        $crate::__lab_tests!(
            $raft,
            $crate::lab::ReferenceKv<$raft>,
            "raft",
            lab_covers_the_raft_catalog,
            part3a_election_initial_stable => "election.initial_stable",
            part3a_election_leader_partition_rejoin_no_quorum => "election.leader_partition_rejoin_no_quorum",
            part3a_election_many_random_minority_partitions => "election.many_random_minority_partitions",
            part3a_election_rpc_budget => "election.rpc_budget",
            part3b_agree_basic_indices => "agree.basic_indices",
            part3b_agree_rpc_bytes_bound => "agree.rpc_bytes_bound",
            part3b_agree_rpc_count_bound => "agree.rpc_count_bound",
            part3b_agree_follower_progressive_failure => "agree.follower_progressive_failure",
            part3b_agree_leader_failure_no_commit => "agree.leader_failure_no_commit",
            part3b_agree_follower_reconnect_catchup => "agree.follower_reconnect_catchup",
            part3b_agree_no_majority_no_commit_then_heal => "agree.no_majority_no_commit_then_heal",
            part3b_agree_concurrent_starts_same_term => "agree.concurrent_starts_same_term",
            part3b_agree_partitioned_leader_rejoin_discards_uncommitted => "agree.partitioned_leader_rejoin_discards_uncommitted",
            part3b_agree_fast_backup_divergent_logs => "agree.fast_backup_divergent_logs",
            part3c_persist_restart_all_and_leader => "persist.restart_all_and_leader",
            part3c_persist_rolling_majority_crash_electability => "persist.rolling_majority_crash_electability",
            part3c_persist_leader_and_follower_crash_stale_node => "persist.leader_and_follower_crash_stale_node",
            part3c_persist_figure8_crash_storm => "persist.figure8_crash_storm",
            part3c_persist_no_reply_after_kill => "persist.no_reply_after_kill",
            part3c_unreliable_concurrent_agreement => "unreliable.concurrent_agreement",
            part3c_unreliable_figure8_long_reordering => "unreliable.figure8_long_reordering",
            part3c_churn_reliable => "churn.reliable",
            part3c_churn_unreliable => "churn.unreliable",
            part3b_net_long_delays_nonblocking_leader => "net.long_delays_nonblocking_leader",
            part3d_snap_basic_no_faults => "snap.basic_no_faults",
            part3d_snap_install_after_disconnect_reliable => "snap.install_after_disconnect_reliable",
            part3d_snap_install_after_disconnect_unreliable => "snap.install_after_disconnect_unreliable",
            part3d_snap_install_after_crash_reliable => "snap.install_after_crash_reliable",
            part3d_snap_install_after_crash_unreliable => "snap.install_after_crash_unreliable",
            part3d_snap_all_crash_index_monotonic_reliable => "snap.all_crash_index_monotonic_reliable",
            part3d_snap_all_crash_index_monotonic_unreliable => "snap.all_crash_index_monotonic_unreliable",
            part3d_snap_init_double_restart => "snap.init_double_restart",
            part3d_snap_applymsg_consistency => "snap.applymsg_consistency",
            part3x_swarm_raft => "swarm.raft",
            // Figure 2's rules, one node at a time (raft::conformance), in their parts.
            part3a_conformance_higher_term_makes_a_follower => "conformance.higher_term_makes_a_follower",
            part3a_conformance_stale_term_requests_are_refused => "conformance.stale_term_requests_are_refused",
            part3a_conformance_election_timeout_starts_a_campaign => "conformance.election_timeout_starts_a_campaign",
            part3a_conformance_granting_a_vote_resets_the_election_timer => "conformance.granting_a_vote_resets_the_election_timer",
            part3a_conformance_a_majority_of_votes_makes_a_leader => "conformance.a_majority_of_votes_makes_a_leader",
            part3a_conformance_votes_of_an_earlier_term_do_not_count => "conformance.votes_of_an_earlier_term_do_not_count",
            part3a_conformance_a_candidate_follows_a_leader_of_its_term => "conformance.a_candidate_follows_a_leader_of_its_term",
            part3a_conformance_one_vote_per_term => "conformance.one_vote_per_term",
            part3a_conformance_votes_only_for_an_up_to_date_log => "conformance.votes_only_for_an_up_to_date_log",
            part3b_conformance_a_mismatching_prev_entry_is_refused => "conformance.a_mismatching_prev_entry_is_refused",
            part3b_conformance_a_conflicting_suffix_is_replaced => "conformance.a_conflicting_suffix_is_replaced",
            part3b_conformance_matching_entries_are_kept => "conformance.matching_entries_are_kept",
            part3b_conformance_commit_index_follows_the_leader_to_the_last_new_entry => "conformance.commit_index_follows_the_leader_to_the_last_new_entry",
            part3b_conformance_proposals_commit_in_order_once_a_majority_holds_them => "conformance.proposals_commit_in_order_once_a_majority_holds_them",
            part3b_conformance_earlier_term_entries_commit_only_under_a_current_term_entry => "conformance.earlier_term_entries_commit_only_under_a_current_term_entry",
            part3c_conformance_a_restart_keeps_term_vote_and_log => "conformance.a_restart_keeps_term_vote_and_log",
            part3d_conformance_a_snapshot_replaces_a_shorter_log => "conformance.a_snapshot_replaces_a_shorter_log",
            part3d_conformance_a_snapshot_keeps_a_matching_suffix => "conformance.a_snapshot_keeps_a_matching_suffix",
            part3d_conformance_a_snapshot_discards_a_conflicting_log => "conformance.a_snapshot_discards_a_conflicting_log",
            part3d_conformance_stale_snapshots_change_nothing => "conformance.stale_snapshots_change_nothing",
            part3d_conformance_a_restart_hands_back_the_snapshot => "conformance.a_restart_hands_back_the_snapshot",
        );
    };
}

/// The KV lab's tests (parts 4A, 4B and 4X) for `$kv`, an implementation of `kv::KvService`
/// (on the student's Raft, or on the reference one): `scenarios::kv_tests!(MyKvServer);`.
#[macro_export]
macro_rules! kv_tests {
    ($kv:ty) => {
        $crate::__lab_tests!(
            $crate::lab::ReferenceRaft,
            $kv,
            "kv",
            lab_covers_the_kv_catalog,
            part4a_kv_basic_one_client => "kv.basic_one_client",
            part4a_kv_speed_nosnap => "kv.speed_nosnap",
            part4b_kv_speed_snap1000 => "kv.speed_snap1000",
            part4a_kv_concurrent_clients_reliable => "kv.concurrent_clients_reliable",
            part4a_kv_concurrent_clients_unreliable => "kv.concurrent_clients_unreliable",
            part4a_kv_one_key_concurrent_appends_unreliable => "kv.one_key_concurrent_appends_unreliable",
            part4a_kv_minority_partition_blocks_then_completes_reliable => "kv.minority_partition_blocks_then_completes_reliable",
            part4a_kv_minority_partition_blocks_then_completes_unreliable => "kv.minority_partition_blocks_then_completes_unreliable",
            part4a_kv_partitions_one_client => "kv.partitions_one_client",
            part4a_kv_partitions_many_clients => "kv.partitions_many_clients",
            part4a_kv_restarts_one => "kv.restarts_one",
            part4a_kv_restarts_many => "kv.restarts_many",
            part4a_kv_restarts_many_unreliable => "kv.restarts_many_unreliable",
            part4a_kv_restarts_partitions => "kv.restarts_partitions",
            part4a_kv_restarts_partitions_unreliable => "kv.restarts_partitions_unreliable",
            part4b_kv_snapshot_install_rpc_and_size => "kv.snapshot_install_rpc_and_size",
            part4b_kv_snapshot_recover_one => "kv.snapshot_recover_one",
            part4b_kv_snapshot_recover_many20 => "kv.snapshot_recover_many20",
            part4b_kv_snapshot_recover_unreliable => "kv.snapshot_recover_unreliable",
            part4b_kv_snapshot_recover_unreliable_restart => "kv.snapshot_recover_unreliable_restart",
            part4b_kv_snapshot_recover_unreliable_restart_partitions => "kv.snapshot_recover_unreliable_restart_partitions",
            part4a_kv_follower_reads_partitioned => "kv.follower_reads_partitioned",
            part4a_lin_random_keys_15c_7s_unreliable_restarts_partitions_nosnap => "lin.random_keys_15c_7s_unreliable_restarts_partitions_nosnap",
            part4b_lin_random_keys_15c_7s_unreliable_restarts_partitions_snap1000 => "lin.random_keys_15c_7s_unreliable_restarts_partitions_snap1000",
            part4a_reads_deposed_leader_minority => "reads.deposed_leader_minority",
            part4a_reads_lease_drift_within_margin => "reads.lease_drift_within_margin",
            part4a_reads_lease_clock_jumps => "reads.lease_clock_jumps",
            part4a_reads_racing_leader_change => "reads.racing_leader_change",
            part4x_swarm_kv => "swarm.kv",
        );
    };
}
