//! One timeline of a whole run: what a run records when asked (`Run::timeline`), and the
//! self-contained HTML page drawn from it (`write_html`): server lanes with role and term over
//! virtual time, crashes and restarts, partition groups, the narration, client operations with
//! their linearization points, the failure at its time, and messages drawn on demand.
mod capture;
mod json;
mod linearization;
mod membership;
mod messages;
mod page;
mod page_data;
pub(crate) mod record;
mod roles;
mod text;

pub use capture::{FailureMark, KvTimeline, Timeline};
pub use linearization::{KeyVerdict, Linearization, Placed};
pub use membership::{groups_over_time, Groups};
pub use messages::{pair, Fate, MessageView};
pub use page::{html, html_replaying, write_html, write_html_replaying};
pub use roles::{RoleChange, RoleTrack};
