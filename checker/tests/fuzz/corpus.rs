//! The fuzzer's seeds: every file under tests/data (Porcupine's and Knossos's histories, their
//! READMEs and verdict tables), and small hand-written histories of each format and model, so
//! mutations start from text each parser accepts and reach the interpreters and the search.
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// One seed: where it came from, its bytes, and whether it is one of the small hand-written
/// ones (picked more often: they cover every model, the data files mostly kv and registers).
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
    pub written: bool,
}

/// Every data file, then the hand-written seeds, in a fixed order: the order decides which seed
/// an input starts from, so it must not depend on the directory listing.
pub fn seeds() -> Vec<Seed> {
    let mut paths = Vec::new();
    collect(Path::new(DATA), &mut paths);
    paths.sort();
    let files = paths.into_iter().map(|path| {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.strip_prefix(DATA).unwrap_or(&path).display().to_string();
        Seed { name, bytes, written: false }
    });
    let written = HAND_WRITTEN.iter().map(|(name, text)| Seed {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
        written: true,
    });
    files.chain(written).collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Small histories touching each format's features and each model's functions.
const HAND_WRITTEN: &[(&str, &str)] = &[
    (
        "cas.json",
        r#"{"model": "cas-register",
 "operations": [
  {"client": 1, "f": "write", "input": 3, "call": 0, "return": 2},
  {"client": 2, "f": "read", "call": 1, "return": 4, "output": 3},
  {"client": 1, "f": "cas", "input": [3, 4], "call": 3, "return": null},
  {"client": 3, "f": "cas", "input": [1, 2], "call": 5, "return": 6, "output": false}
 ]}"#,
    ),
    (
        "register.json",
        r#"{"model": "register", "operations": [
  {"client": 0, "f": "write", "input": 18446744073709551615, "call": 0, "return": 1},
  {"client": 1, "f": "read", "call": 2, "return": 18446744073709551615, "output": 1}]}"#,
    ),
    (
        "kv-lines.json",
        "{\"model\": \"kv\"}\n\
         {\"client\": 0, \"f\": \"put\", \"key\": \"x\", \"input\": \"a\\u00e9\\ud83d\\ude00\", \"call\": 0, \"return\": 1}\n\
         {\"client\": 1, \"f\": \"append\", \"key\": 7, \"input\": \"b\", \"call\": 0, \"return\": 3}\n\
         {\"client\": 2, \"f\": \"get\", \"key\": \"x\", \"call\": 2, \"return\": 4, \"output\": null}\n",
    ),
    (
        "versioned.json",
        r#"[{"client": 0, "f": "put", "key": "k", "input": {"value": "v", "version": 0}, "call": 0, "return": 1, "output": "Ok"},
 {"client": 1, "f": "put", "key": "k", "input": ["w", 0], "call": 2, "return": 3, "output": "ErrVersion"},
 {"client": 2, "f": "get", "key": "k", "call": 4, "return": 5, "output": ["v", 1]},
 {"client": 3, "f": "get", "key": "j", "call": 4, "return": 6, "output": "err-no-key"}]"#,
    ),
    (
        "txn.json",
        r#"{"model": "multi-register", "operations": [
  {"client": 0, "f": "txn", "input": [["write", "x", 1], ["read", "y", null]], "call": 0, "return": 2, "output": [["write", "x", 1], ["read", "y", 0]]},
  {"client": 1, "f": "txn", "input": [["read", "x", null]], "call": 1, "return": 3, "output": [["read", "x", 1]]}]}"#,
    ),
    (
        "set-queue-mutex.json",
        r#"[{"client": 0, "f": "add", "input": 1, "call": 0, "return": 1},
 {"client": 1, "f": "read", "call": 2, "return": 3, "output": [1, 2]},
 {"client": 2, "f": "enqueue", "input": 5, "call": 0, "return": 1},
 {"client": 3, "f": "dequeue", "call": 2, "return": 4, "output": 5},
 {"client": 4, "f": "acquire", "call": 0, "return": 1},
 {"client": 4, "f": "release", "call": 2, "return": null}]"#,
    ),
    (
        "kv.txt",
        "{:process 0, :type :invoke, :f :put, :key \"0\", :value \"x 0 0 y\"}\n\
         {:process 1, :type :invoke, :f :get, :key \"0\", :value nil}\n\
         {:process 0, :type :ok, :f :put, :key \"0\", :value \"x 0 0 y\"}\n\
         {:process 1, :type :ok, :f :get, :key \"0\", :value \"x 0 0 y\"}\n\
         {:process 2, :type :invoke, :f :append, :key \"1\", :value \"z\"}\n\
         {:process 2, :type :info, :f :append, :key \"1\", :value \"z\"}\n",
    ),
    (
        "etcd.log",
        "2017-01-01 INFO  jepsen.core - Running test\n\
         INFO  jepsen.util - 0\t:invoke\t:write\t2\n\
         INFO  jepsen.util - 0\t:ok\t:write\t2\n\
         INFO  jepsen.util - 1\t:invoke\t:cas\t[2 0]\n\
         INFO  jepsen.util - 1\t:fail\t:cas\t[2 0]\n\
         INFO  jepsen.util - 2  :invoke  :read  nil\n\
         INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n\
         INFO  jepsen.util - 2  :info  :read  :timed-out\n",
    ),
    (
        "history.edn",
        "; a comment\n\
         [{:process 0, :type :invoke, :f :write, :value 1, :time 12}\n\
          #jepsen.history.Op{:process 0, :type :ok, :f :write, :value 1N}\n\
          {:process 1 :type :invoke :f :cas :value [1 2]} #_ {:ignored true}\n\
          {:process 1 :type :fail :f :cas :value (1 2) :error \"x\\\"\\n\\u00e9\"}\n\
          {:process 2 :type :invoke :f :read :value nil}\n\
          {:process 2 :type :ok :f :read :value -7 :extra #{\\a \\newline 1.5e3 sym/bol}}\n\
          {:process :nemesis :type :info :f :start :value #inst \"2017\"}]\n",
    ),
    (
        "others.edn",
        "({:process 0 :type :invoke :f :txn :value [[:w :x 1] [:r :y nil]]}\n\
          {:process 0 :type :ok :f :txn :value [[:w :x 1] [:r :y 0]]}\n\
          {:process 1 :type :invoke :f :add :value 3}\n\
          {:process 1 :type :ok :f :add :value 3}\n\
          {:process 2 :type :invoke :f :read :value nil}\n\
          {:process 2 :type :ok :f :read :value #{3}}\n\
          {:process 3 :type :invoke :f :enqueue :value 4}\n\
          {:process 3 :type :info :f :enqueue :value 4}\n\
          {:process 4 :type :invoke :f :acquire}\n\
          {:process 4 :type :ok :f :acquire})\n",
    ),
];
