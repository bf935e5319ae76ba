//! Helpers shared by several test binaries of this package.
#![allow(dead_code)] // Each test binary uses a different subset.

pub mod student;
