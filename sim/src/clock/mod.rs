//! Per-node clocks: what a tester configures (`config`), one machine's clock as a function of
//! true time (`line`), and every node's clock in one table (`table`).
pub(crate) mod config;
pub(crate) mod line;
pub(crate) mod table;
