//! The lab macros as a student's crate uses them, here on the reference implementations: one
//! line generates a test per scenario, named by part, each passing; and the generated coverage
//! tests prove the lab's test lists and the catalog agree.
mod raft_lab {
    scenarios::raft_tests!(raft::RaftNode);
}

mod kv_lab {
    scenarios::kv_tests!(kv::KvServer<raft::RaftNode>);
}
