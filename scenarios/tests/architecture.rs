//! No import cycles between the files of any crate: each file can be read, and moved, after
//! the files it depends on, so a reader never needs two files open to understand either.
//!
//! The test reads every crate of the workspace (the root `Cargo.toml`'s `members`), follows
//! `mod` declarations from `src/lib.rs` and `src/main.rs` to map each file to its module path,
//! and draws an edge from a file to each other file of the same crate it names. For each group
//! of files caught in cycles, the shortest cycle through each of them is printed, as
//! `kv: a.rs -> b/mod.rs -> a.rs`, and under it the first line that makes each edge.
//!
//! What counts as naming another file, and how a name resolves, in the order applied:
//!
//! - Comments, strings and everything under `#[cfg(test)]` (a `mod tests` block, a test-only
//!   `use`) are ignored: they are not part of the file's dependencies in the build.
//! - Every `use` tree (at any depth, `pub` or not) and every path of two or more segments in
//!   code (`crate::log::last_index()`, `super::Role::Leader`, `log::Log`) is a reference.
//!   `$crate` paths inside `macro_rules!` are skipped: they resolve where the macro expands.
//! - A path starts at `crate`, `super`, `self`, a child module of the current module (2018
//!   paths), or a name some `use` of the file imports; anything else is another crate, std,
//!   a type of the file itself or a generic parameter, and is ignored.
//! - Segments that name modules walk the module tree; a path that ends on a module names that
//!   module's file. The first segment that is not a module is an item of the module reached,
//!   and it resolves to the file that defines it: the module's own file when that file
//!   defines it, otherwise the file its `use` (or `pub use`) of that name points to, followed
//!   through re-exports and globs; when neither finds it, the module's file. So a child that
//!   writes `super::Entry`, where the parent only re-exports `Entry` from a sibling, depends on
//!   the sibling, not on the parent. An exported macro (`crate::m!`) is the file that defines it.
//! - Declaring a module (`mod child;`) is not a dependency: a `mod.rs` or `lib.rs` that only
//!   declares and re-exports its children depends on them through its `pub use`, and a child
//!   depends on its parent only for items the parent itself defines.
//! - Inside an inline module (`pub(crate) mod tag { .. }`), `self` and `super` stay in the
//!   same file, and the inline module is an item of its file.
//!
//! Known imprecision: a `use` inside a function is treated as visible to the whole file, and
//! `#[cfg(test)]` is recognised only in exactly that spelling.
mod architecture {
    pub mod lex;
    pub mod scan;
    pub mod tree;
}

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use architecture::tree::ModuleTree;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[test]
fn no_file_of_any_crate_imports_a_file_that_imports_it_back() {
    let mut report = Vec::new();
    for krate in workspace_members() {
        for root in ["lib.rs", "main.rs"] {
            let src = Path::new(WORKSPACE).join(&krate).join("src");
            if src.join(root).exists() {
                let tree = ModuleTree::load(&src, root);
                for cycle in cycles(&tree) {
                    report.push(format!("{krate}: {cycle}"));
                }
            }
        }
    }
    assert!(report.is_empty(), "import cycles between files:\n{}", report.join("\n"));
}

/// The search on a small crate written for it, so a pass above is not a search that sees
/// nothing: one real cycle, through a path in code and an import, and three look-alikes that are
/// not cycles (a sibling reached through its parent's re-export, test code, a doc comment).
#[test]
fn a_crate_written_with_one_cycle_shows_exactly_that_cycle() {
    let src = Path::new(env!("CARGO_TARGET_TMPDIR")).join("architecture-sample/src");
    let files = [
        ("lib.rs", "mod a;\nmod b;\nmod shapes;\npub use shapes::Circle;\n"),
        ("a.rs", "pub fn f() {\n    crate::b::g();\n}\n"),
        ("b.rs", "use crate::a;\npub fn g() {}\nfn h() {\n    a::f();\n}\n"),
        (
            "shapes/mod.rs",
            "mod circle;\nmod square;\npub use circle::Circle;\npub use square::*;\n",
        ),
        ("shapes/circle.rs", "use super::Square;\npub struct Circle(Square);\n"),
        (
            "shapes/square.rs",
            "/// Unlike [`crate::shapes::Circle`], ...\npub struct Square;\n\
             #[cfg(test)]\nmod tests {\n    use super::super::circle::Circle;\n}\n",
        ),
    ];
    for (file, text) in files {
        let path = src.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let found = cycles(&ModuleTree::load(&src, "lib.rs"));
    let first_lines: Vec<&str> = found.iter().map(|c| c.lines().next().unwrap()).collect();
    assert_eq!(first_lines, ["a.rs -> b.rs -> a.rs"], "{found:?}");
    assert!(found[0].contains("a.rs:2: crate::b::g") && found[0].contains("b.rs:1: use crate::a"));
}

/// The crate directories listed in the root manifest's `members`.
fn workspace_members() -> Vec<String> {
    let manifest = fs::read_to_string(Path::new(WORKSPACE).join("Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|line| line.trim_start().starts_with("members"))
        .expect("the root Cargo.toml lists its members on one line");
    let list = &line[line.find('[').unwrap() + 1..line.rfind(']').unwrap()];
    let members = list.split(',').map(|m| m.trim().trim_matches('"').to_string());
    members.filter(|m| !m.is_empty()).collect()
}

/// The file-level dependency graph: for each edge, the first line that makes it, as evidence.
struct Graph {
    graph: DiGraph<usize, ()>,
    evidence: BTreeMap<(usize, usize), String>,
}

fn graph(tree: &ModuleTree) -> Graph {
    let mut graph = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..tree.modules.len()).map(|m| graph.add_node(m)).collect();
    let mut evidence = BTreeMap::new();
    for (from, module) in tree.modules.iter().enumerate() {
        let uses = module.scan.uses.iter().map(|u| (u.inline, &u.segments, u.line, "use "));
        let paths = module.scan.paths.iter().map(|p| (p.inline, &p.segments, p.line, ""));
        for (inline, segments, line, kind) in uses.chain(paths) {
            let Some(to) = tree.resolve(from, inline, segments).file() else { continue };
            if to != from && !evidence.contains_key(&(from, to)) {
                let why = format!("{}:{line}: {kind}{}", module.file, segments.join("::"));
                evidence.insert((from, to), why);
                graph.add_edge(nodes[from], nodes[to], ());
            }
        }
    }
    Graph { graph, evidence }
}

/// Every strongly connected group of files, as the shortest cycle through each of its files
/// (deduplicated), each followed by the lines that make its edges.
fn cycles(tree: &ModuleTree) -> Vec<String> {
    let Graph { graph, evidence } = graph(tree);
    let mut found = BTreeSet::new();
    for component in tarjan_scc(&graph).into_iter().filter(|c| c.len() > 1) {
        let members: BTreeSet<usize> = component.iter().map(|&n| graph[n]).collect();
        for &start in &members {
            let cycle = shortest_cycle(&evidence, &members, start);
            found.insert(rotate_to_smallest(cycle));
        }
    }
    let name = |m: &usize| tree.modules[*m].file.clone();
    found
        .into_iter()
        .map(|cycle| {
            let mut line: Vec<String> = cycle.iter().map(name).collect();
            line.push(name(&cycle[0]));
            let edges = cycle.iter().zip(cycle.iter().cycle().skip(1));
            let why = edges.map(|(a, b)| format!("\n    {}", evidence[&(*a, *b)]));
            format!("{}{}", line.join(" -> "), why.collect::<String>())
        })
        .collect()
}

/// Breadth-first from `start` back to itself, within one strongly connected group.
fn shortest_cycle(
    edges: &BTreeMap<(usize, usize), String>,
    members: &BTreeSet<usize>,
    start: usize,
) -> Vec<usize> {
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for &(_, next) in edges.keys().filter(|(from, to)| *from == at && members.contains(to)) {
            if next == start {
                let mut cycle = vec![at];
                while let Some(&previous) = came_from.get(cycle.last().unwrap()) {
                    cycle.push(previous);
                }
                cycle.reverse();
                return cycle;
            }
            if let std::collections::btree_map::Entry::Vacant(entry) = came_from.entry(next) {
                entry.insert(at);
                queue.push_back(next);
            }
        }
    }
    unreachable!("every file of a strongly connected group lies on a cycle")
}

/// The same cycle always printed from the same file, so it is listed once.
fn rotate_to_smallest(mut cycle: Vec<usize>) -> Vec<usize> {
    let smallest = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
    cycle.rotate_left(smallest);
    cycle
}
