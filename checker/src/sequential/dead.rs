//! Pruning: a configuration from which some read can never become legal has no future.
//!
//! The model's `read_state`, `reset_state` and `may_grow_into` (the same hooks the
//! linearizable search prunes with) say when a read that saw state `r` can still be placed
//! from the current state `s` of its part: either the operations that are not resets can
//! grow `s` into `r`, or some reset still to be placed (on any client, placed or left out
//! later) leaves a state that can grow into `r`. When neither holds, the read is dead and so
//! is the configuration: the search backtracks at once instead of exploring every
//! interleaving of the rest. This changes how fast the answer comes, never the answer.
//!
//! Checking every remaining read after every move would cost the length of the history.
//! After a move on part `p`, two kinds of reads are checked: each client's earliest
//! remaining read of `p` (a client's reads of one part usually see growing states, so the
//! earliest is the first to die), and, when the move changed `p`'s state, the remaining
//! reads that need the state it left (an overwritten unique value kills every read of it,
//! whichever client holds it and however far down its program). A state needed by more
//! than `MAX_NEEDERS` reads is not checked that way, and a read whose part has more than
//! `MAX_RESETS` resets is never judged dead (its feeders would cost too much to list): both
//! only prune less.
use super::whole::Whole;
use crate::model::Model;
use crate::search::fxhash::FxHashMap;

/// The most resets of one part a read's feeders are listed from.
const MAX_RESETS: usize = 1024;

/// The most reads of one state checked when a move leaves that state.
const MAX_NEEDERS: usize = 64;

/// An operation's place: (client, position in its program).
type Place = (u32, u32);

pub(crate) struct Reads {
    /// Per (client, part): the program positions of the client's reads of that part that
    /// have a single legal state, ascending.
    positions: FxHashMap<(u32, u32), Vec<u32>>,
    /// Per part: the clients that read it.
    readers: Vec<Vec<u32>>,
    /// Per history index of such a read: the part state it needs.
    needs: FxHashMap<usize, u32>,
    /// Per (part, part state): the reads that need it.
    needers: FxHashMap<(u32, u32), Vec<Place>>,
    /// Per part: the resets of that part, with the state each leaves.
    resets: Vec<Vec<(Place, u32)>>,
    /// Per read: the resets that can lead to its state (`None`: too many resets to list).
    feeders: FxHashMap<usize, Option<Vec<Place>>>,
    /// Estimated bytes held, kept as the tables grow.
    bytes: usize,
}

impl Reads {
    pub(crate) fn new<M: Model>(whole: &mut Whole<'_, M>, programs: &[Vec<usize>]) -> Reads {
        let mut reads = Reads {
            positions: FxHashMap::default(),
            readers: Vec::new(),
            needs: FxHashMap::default(),
            needers: FxHashMap::default(),
            resets: Vec::new(),
            feeders: FxHashMap::default(),
            bytes: 0,
        };
        let model = whole.model();
        for (client, program) in programs.iter().enumerate() {
            for (at, &op) in program.iter().enumerate() {
                let (input, output) = whole.operation(op);
                let place = (client as u32, at as u32);
                let part = whole.part_index(op);
                let read = output.and_then(|output| model.read_state(input, output));
                let reset = model.reset_state(input);
                if read.is_some() || reset.is_some() {
                    reads.grow_to(part);
                }
                if let Some(state) = read {
                    reads.add_read(op, place, part, whole.intern_part(state));
                }
                if let Some(state) = reset {
                    let leaves = whole.intern_part(state);
                    reads.resets[part as usize].push((place, leaves));
                }
            }
        }
        reads.bytes = reads.needs.len() * 32
            + reads.positions.len() * 64
            + 12 * reads.resets.iter().map(Vec::len).sum::<usize>()
            + 4 * reads.positions.values().map(Vec::len).sum::<usize>();
        reads
    }

    /// Makes room for part `part` in the per-part tables.
    fn grow_to(&mut self, part: u32) {
        if self.readers.len() <= part as usize {
            self.readers.resize(part as usize + 1, Vec::new());
            self.resets.resize(part as usize + 1, Vec::new());
        }
    }

    /// Records read `op`, at `place`, of `part`, needing the part state `needs`.
    fn add_read(&mut self, op: usize, (client, at): Place, part: u32, needs: u32) {
        self.needs.insert(op, needs);
        self.needers.entry((part, needs)).or_default().push((client, at));
        self.positions.entry((client, part)).or_default().push(at);
        if !self.readers[part as usize].contains(&client) {
            self.readers[part as usize].push(client);
        }
    }

    /// In `tuple` with clients at `pos`, just after a move on `part` that left its state
    /// `left`: a remaining read of `part` that can never become legal (history index), if
    /// one of those checked is.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn dead<M: Model>(
        &mut self,
        whole: &mut Whole<'_, M>,
        programs: &[Vec<usize>],
        pos: &[u32],
        tuple: u32,
        part: u32,
        left: u32,
    ) -> Option<usize> {
        let state = whole.part_state(tuple, part);
        let mut places: Vec<Place> = Vec::new();
        for &client in self.readers.get(part as usize).into_iter().flatten() {
            let positions = &self.positions[&(client, part)];
            let first = positions.partition_point(|&at| at < pos[client as usize]);
            if let Some(&at) = positions.get(first) {
                places.push((client, at));
            }
        }
        if left != state {
            if let Some(needers) = self.needers.get(&(part, left)) {
                if needers.len() <= MAX_NEEDERS {
                    places.extend(needers.iter().filter(|&&(c, at)| pos[c as usize] <= at));
                }
            }
        }
        for (client, at) in places {
            let op = programs[client as usize][at as usize];
            if self.starved(whole, op, part, state, pos) {
                return Some(op);
            }
        }
        None
    }

    /// True when read `op` of `part` can never become legal from `state` with clients at
    /// `pos`.
    fn starved<M: Model>(
        &mut self,
        whole: &mut Whole<'_, M>,
        op: usize,
        part: u32,
        state: u32,
        pos: &[u32],
    ) -> bool {
        let needs = self.needs[&op];
        if whole.may_grow_into(state, needs) {
            return false;
        }
        match self.feeders_of(whole, op, part, needs) {
            None => false,
            Some(feeders) => !feeders.iter().any(|&(c, at)| pos[c as usize] <= at),
        }
    }

    /// The resets of `part` that leave a state that can grow into `needs`.
    fn feeders_of<M: Model>(
        &mut self,
        whole: &mut Whole<'_, M>,
        op: usize,
        part: u32,
        needs: u32,
    ) -> Option<&Vec<Place>> {
        if !self.feeders.contains_key(&op) {
            let resets = &self.resets[part as usize];
            let listed = (resets.len() <= MAX_RESETS).then(|| {
                resets
                    .iter()
                    .filter(|&&(_, leaves)| whole.may_grow_into(leaves, needs))
                    .map(|&(place, _)| place)
                    .collect()
            });
            self.bytes += 48 + listed.as_ref().map_or(0, |list: &Vec<Place>| list.len() * 8);
            self.feeders.insert(op, listed);
        }
        self.feeders.get(&op).and_then(Option::as_ref)
    }

    /// Estimated bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}
