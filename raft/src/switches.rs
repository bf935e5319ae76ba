//! One declaration per mutation switch: the `mutation_switches!` macro that turns a list of
//! named, documented switches into a bug-set struct and everything derived from it.
//!
//! A mutation switch used to be spelled out in five places (the field, the name list, the name
//! match, the bug zoo's row and every field-by-field OR in the scenarios), and a switch missing
//! from one of them compiled fine and was silently never run. Here each switch is written once,
//! with its doc comment, what goes wrong when it is on (`breaks`) and the rule it violates
//! (`rule`); the field, [`Switch`] table, names, parsing and union all come from that one place,
//! so adding a switch is one edit (plus its zoo expectation in `scenarios`).
//!
//! The macro is exported so that `kv` declares its KV-server switches the same way.

/// What one mutation switch is, for zoo tables, reports and `--bug` help: its declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Switch {
    /// The field's name, as `--bug` takes it.
    pub name: &'static str,
    /// The field's doc comment, its lines joined into one paragraph.
    pub doc: &'static str,
    /// One sentence: what goes wrong when the switch is on.
    pub breaks: &'static str,
    /// The rule it violates (a section of the Raft paper, or the lab's requirement).
    pub rule: &'static str,
}

impl Switch {
    /// A `///` comment reaches the macro as lines that each start with a space; joined, they
    /// read as one paragraph once the first space is gone. Hidden: only the macro calls it.
    #[doc(hidden)]
    pub const fn trim_doc(joined: &'static str) -> &'static str {
        joined.trim_ascii_start()
    }
}

/// Declares a set of mutation switches, all off by default, each written once:
///
/// ```
/// raft::mutation_switches! {
///     /// Two ways to get a register wrong.
///     pub struct RegisterBugs {
///         /// Acknowledge a write before storing it.
///         ack_before_store {
///             breaks: "an acknowledged write is lost by a crash",
///             rule: "persist before responding",
///         }
///         /// Read from a cache that is never invalidated.
///         stale_cache {
///             breaks: "a read returns a value overwritten long ago",
///             rule: "reads see the latest write",
///         }
///     }
/// }
///
/// assert_eq!(RegisterBugs::NAMES, ["ack_before_store", "stale_cache"]);
/// assert_eq!(RegisterBugs::SWITCHES[1].rule, "reads see the latest write");
/// let both = RegisterBugs::parse(&["stale_cache", "ack_before_store"]).unwrap();
/// assert!(both.ack_before_store && both.stale_cache);
/// assert_eq!(both.names(), RegisterBugs::NAMES);
/// assert_eq!(RegisterBugs::only("stale_cache").unwrap().union(RegisterBugs::none()).names(), ["stale_cache"]);
/// assert_eq!(
///     RegisterBugs::parse(&["typo"]),
///     Err("unknown bug `typo`; known: ack_before_store, stale_cache".to_string())
/// );
/// ```
///
/// The struct gets one `pub bool` field per switch (documented with its comment, what it breaks
/// and the rule), the derives `Clone, Copy, Debug, Default, PartialEq, Eq, Hash`, and:
/// `NAMES` and `SWITCHES` (declaration order), `none()`, `only(name)`, `any()`,
/// `union(other)`, `names()` (the switches that are on) and `parse(names)`.
#[macro_export]
macro_rules! mutation_switches {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident {
                    breaks: $breaks:literal,
                    rule: $rule:literal $(,)?
                }
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        $vis struct $Name {
            $(
                $(#[doc = $doc])+
                #[doc = ""]
                #[doc = concat!("*Breaks:* ", $breaks, ". *Violates:* ", $rule, ".")]
                pub $field: bool,
            )+
        }

        impl $Name {
            /// The names of all switches, in declaration order, for zoo tables and command lines.
            pub const NAMES: [&'static str; [$(stringify!($field)),+].len()] =
                [$(stringify!($field)),+];

            /// Every switch's declaration (name, doc, what it breaks, the rule it violates), in
            /// declaration order.
            pub const SWITCHES: &'static [$crate::Switch] = &[$(
                $crate::Switch {
                    name: stringify!($field),
                    doc: $crate::Switch::trim_doc(concat!($($doc),+)),
                    breaks: $breaks,
                    rule: $rule,
                },
            )+];

            /// No switch on: the correct implementation.
            pub const fn none() -> Self {
                Self { $($field: false),+ }
            }

            /// Exactly the one named switch, or `None` for an unknown name.
            pub fn only(name: &str) -> ::std::option::Option<Self> {
                let mut one = Self::none();
                *one.switch_mut(name)? = true;
                ::std::option::Option::Some(one)
            }

            /// True when any switch is on.
            pub const fn any(&self) -> bool {
                $(self.$field)||+
            }

            /// Every switch that is on in `self` or in `other`.
            pub const fn union(self, other: Self) -> Self {
                Self { $($field: self.$field || other.$field),+ }
            }

            /// The names of the switches that are on, in declaration order.
            pub fn names(&self) -> ::std::vec::Vec<&'static str> {
                let on = [$(self.$field),+];
                Self::NAMES.iter().zip(on).filter(|(_, on)| *on).map(|(name, _)| *name).collect()
            }

            /// The switches named (as `--bug` takes them), all on; the error names the first
            /// unknown one and lists the known ones.
            pub fn parse(
                names: &[impl ::std::convert::AsRef<str>],
            ) -> ::std::result::Result<Self, ::std::string::String> {
                names.iter().try_fold(Self::none(), |bugs, name| {
                    let name = name.as_ref();
                    Self::only(name).map(|one| bugs.union(one)).ok_or_else(|| {
                        ::std::format!("unknown bug `{name}`; known: {}", Self::NAMES.join(", "))
                    })
                })
            }

            fn switch_mut(&mut self, name: &str) -> ::std::option::Option<&mut bool> {
                match name {
                    $(stringify!($field) => ::std::option::Option::Some(&mut self.$field),)+
                    _ => ::std::option::Option::None,
                }
            }
        }
    };
}
