//! The history syntaxes tenrec reads, by name (`--format porcupine-kv`).
use std::fmt;

/// The syntaxes tenrec reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// tenrec's own JSON history (docs/history-format.md), as one document or JSON lines.
    Json,
    /// Porcupine's kv logs: one EDN map per line, with `:key`.
    PorcupineKv,
    /// Jepsen's log output (`INFO  jepsen.util - 0 :invoke :read nil`), as in Porcupine's etcd
    /// test data.
    JepsenLog,
    /// Jepsen/Knossos EDN: a vector or list of operation maps.
    Edn,
}

impl Format {
    pub const ALL: [Format; 4] =
        [Format::Json, Format::PorcupineKv, Format::JepsenLog, Format::Edn];

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::PorcupineKv => "porcupine-kv",
            Format::JepsenLog => "jepsen-log",
            Format::Edn => "edn",
        }
    }

    /// Parses a format name as printed by [`Format::name`]; `jepsen-etcd-log` is an alias.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "jepsen-etcd-log" | "etcd" => Some(Format::JepsenLog),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
