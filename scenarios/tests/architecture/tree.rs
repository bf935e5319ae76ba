//! A crate's module tree, built by following `mod` declarations from its root file, and the
//! resolution of a path, seen from one module, to the file it depends on (rules in the test's
//! module doc).
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::scan::{scan, FileScan};

pub struct Module {
    /// The file, relative to `src`, with `/` separators.
    pub file: String,
    pub scan: FileScan,
    parent: Option<usize>,
    children: BTreeMap<String, usize>,
}

pub struct ModuleTree {
    /// Index 0 is the crate root.
    pub modules: Vec<Module>,
}

/// What a path names, as far as files go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// A module, whose file is the dependency if the path ends here.
    Module(usize),
    /// An item defined in this module's file.
    File(usize),
    /// Another crate, std, a generic parameter, a local type: no file of this crate.
    External,
}

/// Re-exports and aliases may refer to one another; deeper chains than this are a loop.
const MAX_HOPS: usize = 16;

impl ModuleTree {
    /// Loads the crate rooted at `src/<root>` (`lib.rs` or `main.rs`).
    pub fn load(src: &Path, root: &str) -> ModuleTree {
        let mut tree = ModuleTree { modules: Vec::new() };
        tree.add(src, PathBuf::from(root), None);
        tree
    }

    fn add(&mut self, src: &Path, file: PathBuf, parent: Option<usize>) -> usize {
        let text = fs::read_to_string(src.join(&file))
            .unwrap_or_else(|e| panic!("{}: {e}", src.join(&file).display()));
        let index = self.modules.len();
        let name = file.to_string_lossy().replace('\\', "/");
        self.modules.push(Module {
            file: name,
            scan: scan(&text),
            parent,
            children: BTreeMap::new(),
        });
        // A root or `mod.rs` keeps its children beside it; `a.rs` keeps them in `a/`.
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let dir = if parent.is_none() || stem == "mod" {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        for child in self.modules[index].scan.mods.clone() {
            let flat = dir.join(format!("{child}.rs"));
            let nested = dir.join(&child).join("mod.rs");
            let Some(child_file) = [flat, nested].into_iter().find(|f| src.join(f).exists()) else {
                continue; // The build would fail first; nothing to draw.
            };
            let child_index = self.add(src, child_file, Some(index));
            self.modules[index].children.insert(child, child_index);
        }
        index
    }

    /// Resolves a path written in `module`, inside `inline` inline modules of its file.
    pub fn resolve(&self, module: usize, inline: usize, segments: &[String]) -> Target {
        self.resolve_hops(module, inline, segments, 0)
    }

    fn resolve_hops(
        &self,
        module: usize,
        inline: usize,
        segments: &[String],
        hops: usize,
    ) -> Target {
        let Some((first, rest)) = segments.split_first() else {
            return Target::External;
        };
        let mut target = self.start(module, inline, first, hops);
        for segment in rest {
            let Target::Module(current) = target else {
                break;
            };
            target = match segment.as_str() {
                "self" => target,
                "super" => self.modules[current].parent.map_or(Target::External, Target::Module),
                _ => match self.modules[current].children.get(segment) {
                    Some(&child) => Target::Module(child),
                    None => self.item(current, segment, hops),
                },
            };
        }
        target
    }

    /// Where a path's first segment leads.
    fn start(&self, module: usize, inline: usize, first: &str, hops: usize) -> Target {
        let here = &self.modules[module];
        match first {
            "crate" => Target::Module(0),
            // Inside an inline module, `self` and `super` (one level up) are still this file.
            "self" | "super" if inline > 0 => {
                if first == "super" && inline == 1 {
                    Target::Module(module)
                } else {
                    Target::File(module)
                }
            }
            "self" => Target::Module(module),
            "super" => here.parent.map_or(Target::External, Target::Module),
            _ if inline == 0 && here.children.contains_key(first) => {
                Target::Module(here.children[first])
            }
            _ => self.alias(module, first, hops),
        }
    }

    /// A name some `use` of the module's file imported, resolved; `External` if none did.
    fn alias(&self, module: usize, name: &str, hops: usize) -> Target {
        if hops >= MAX_HOPS {
            return Target::External;
        }
        let found = self.modules[module].scan.uses.iter().find(|u| u.name.as_deref() == Some(name));
        match found {
            Some(u) => self.resolve_hops(module, u.inline, &u.segments, hops + 1),
            None => Target::External,
        }
    }

    /// The file defining item `name` of `module`: its own, or the one its imports lead to.
    fn item(&self, module: usize, name: &str, hops: usize) -> Target {
        let mut seen = BTreeSet::new();
        self.find_item(module, name, hops, &mut seen).unwrap_or(Target::File(module))
    }

    fn find_item(
        &self,
        module: usize,
        name: &str,
        hops: usize,
        seen: &mut BTreeSet<usize>,
    ) -> Option<Target> {
        if hops >= MAX_HOPS || !seen.insert(module) {
            return None;
        }
        let scan = &self.modules[module].scan;
        if scan.defines.contains(name) {
            return Some(Target::File(module));
        }
        if module == 0 {
            // `#[macro_export]` puts a macro at the crate root: `crate::m!` is its file's.
            if let Some(m) = self.modules.iter().position(|m| m.scan.macros.contains(name)) {
                return Some(Target::File(m));
            }
        }
        let module_level = scan.uses.iter().filter(|u| u.inline == 0);
        if let Some(u) = module_level.clone().find(|u| u.name.as_deref() == Some(name)) {
            return Some(match self.resolve_hops(module, 0, &u.segments, hops + 1) {
                Target::Module(found) => Target::File(found),
                other => other,
            });
        }
        for glob in module_level.filter(|u| u.name.is_none()) {
            if let Target::Module(source) = self.resolve_hops(module, 0, &glob.segments, hops + 1) {
                if let Some(found) = self.find_item(source, name, hops + 1, seen) {
                    return Some(found);
                }
            }
        }
        None
    }
}

impl Target {
    /// The module whose file the target is, if it is one of this crate's.
    pub fn file(self) -> Option<usize> {
        match self {
            Target::Module(m) | Target::File(m) => Some(m),
            Target::External => None,
        }
    }
}
